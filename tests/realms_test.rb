# frozen_string_literal: true

require_relative "test_helper"
require "weakref"
require "tmpdir"

# Extra realms (Isolate#create_context), Context#dispose and Context#reset.
class RealmsTest < RustyRacerTest
  def test_realms_have_their_own_globals_and_ids
    iso = isolate
    a = iso.create_context
    b = iso.create_context
    assert_equal [0, 1, 2], [iso.context.id, a.id, b.id]
    a.eval("var name = 'a'")
    b.eval("var name = 'b'")
    assert_equal %w[a b], [a.eval("name"), b.eval("name")]
    assert_equal "undefined", iso.context.eval("typeof name")
    a.attach("twice", ->(x) { x * 2 })
    assert_equal 4, a.call("twice", 2)
    assert_equal "undefined", b.eval("typeof twice")
    assert_equal 3, a.compile("name.length + 2").run
    mod = b.compile_module("export default name")
    mod.instantiate { nil }.evaluate
    assert_equal "b", mod.namespace["default"]
  end

  def test_dispose_drops_the_realm_and_what_it_handed_out
    iso = isolate(timeout_ms: 1)
    realm = iso.create_context
    function = realm.eval("(function f() { return 1 })")
    script = realm.compile("1")
    mod = realm.compile_module("export default 1")
    realm.dispose
    realm.dispose
    assert_predicate realm, :disposed?
    refute_predicate iso.context, :disposed?
    [-> { realm.eval("1") }, -> { realm.call("f") }, -> { realm.attach("g", -> {}) }, -> { function.call },
     -> { script.run }, -> { mod.status }].each do |use|
      assert_raises(RustyRacer::DisposedError) { use.call }
    end
    assert_nil script.create_code_cache
    assert_equal realm.id, realm.id
    iso.context.dispose # the default context's is a no-op
    assert_equal 2, iso.context.eval("1 + 1")
  end

  def test_dispose_and_reset_are_refused_inside_the_realms_own_operation
    iso = isolate
    realm = iso.create_context
    other = iso.create_context
    other.eval("globalThis.mark = 1")
    realm.attach("self_reset", -> { realm.reset })
    realm.attach("self_dispose", -> { realm.dispose })
    realm.attach("reset_other", -> { other.reset; "done" })
    realm.eval("globalThis.kept = 'still here'")
    error = assert_raises(RustyRacer::RuntimeError) { realm.eval("self_reset()") }
    assert_match(/cannot reset context #{realm.id} while an operation runs in it/, error.message)
    assert_raises(RustyRacer::RuntimeError) { realm.eval("self_dispose()") }
    assert_equal "still here", realm.eval("kept")
    assert_equal "done", realm.eval("reset_other()")
    assert_equal "undefined", other.eval("typeof mark")
    reset_in_job = lambda do
      other.reset
    rescue RustyRacer::RuntimeError => e
      e.message
    end
    realm.attach("reset_in_job", reset_in_job)
    realm.eval("Promise.resolve().then(() => globalThis.why = reset_in_job())")
    assert_match(/cannot reset context #{other.id} while promise jobs run/, realm.eval("why"))
    realm.dispose
    error = assert_raises(RustyRacer::RuntimeError) { realm.reset }
    assert_match(/unknown or disposed/, error.message)
  end

  def test_reset_gives_a_fresh_global_and_drops_what_the_realm_handed_out
    iso = isolate(host_namespace: "NS")
    ctx = iso.context
    ctx.eval("globalThis.junk = 1")
    function = ctx.eval("() => 1")
    script = ctx.compile("2")
    mod = ctx.compile_module("export default 3")
    ctx.attach("cb", -> { 1 })
    ctx.reset
    assert_equal 0, ctx.id
    assert_equal %w[undefined undefined function], ctx.eval("[typeof junk, typeof cb, typeof NS.drainMicrotasks]")
    [-> { function.call }, -> { script.run }, -> { mod.evaluate }].each do |use|
      assert_raises(RustyRacer::DisposedError) { use.call }
    end
    assert_nil script.create_code_cache
    ctx.attach("cb", -> { "new" })
    assert_equal "new", ctx.eval("cb()")
  end

  def test_reset_of_a_snapshotted_isolate_brings_back_the_baked_globals
    snapshot = RustyRacer::Snapshot.new("globalThis.baked = 1; globalThis.lib = { v: 7 }")
    ctx = isolate(snapshot: snapshot).context
    ctx.eval("baked = 2; delete globalThis.lib; globalThis.extra = 1")
    ctx.reset
    assert_equal [1, 7, "undefined"], ctx.eval("[baked, lib.v, typeof extra]")
  end

  def test_reset_releases_attached_callables
    out, status = run_child(<<~RUBY)
      require "weakref"
      ctx = RustyRacer::Isolate.new.context
      ref = nil
      1.times do
        captured = Object.new
        ref = WeakRef.new(captured)
        ctx.attach("cb", -> { captured })
      end
      ctx.reset
      5.times { GC.start(full_mark: true, immediate_sweep: true) }
      puts ref.weakref_alive? ? "alive" : "collected"
    RUBY
    assert status.success?, out
    assert_equal "collected\n", out
  end

  def test_resets_and_realm_churn_leak_no_native_contexts
    iso = isolate(microtasks: :explicit)
    ctx = iso.context
    iso.low_memory_notification
    base = iso.heap_statistics[:number_of_native_contexts]
    50.times do
      ctx.eval("globalThis.big = new Array(1000).fill({}); Promise.resolve().then(() => big.length)")
      ctx.reset
    end
    20.times { iso.create_context.tap { |r| r.eval("var x = [1, 2, 3]") }.dispose }
    iso.perform_microtask_checkpoint
    iso.low_memory_notification
    assert_operator iso.heap_statistics[:number_of_native_contexts], :<=, base + 3
  end

  def test_realm_churn_under_gc_stress
    out, status = run_child(<<~RUBY)
      iso = RustyRacer::Isolate.new
      GC.stress = true
      realms = Array.new(3) { iso.create_context }
      realms.each { |r| r.eval("var v = {a: [1, 2]}") }
      realms[0].attach("cb", ->(x) { x })
      promise = realms[1].eval("new Promise(r => globalThis.settle = r)")
      realms[1].dispose
      realms[0].reset
      realms[2].eval("1")
      GC.stress = false
      iso.dispose
      puts "ok"
    RUBY
    assert status.success?, out
    assert_equal "ok\n", out
  end

  def test_the_host_namespace_reaches_across_realms
    iso = isolate(host_namespace: "NS")
    main = iso.context
    other = iso.create_context
    other.eval("globalThis.tag = 'other'; globalThis.thing = {}")
    assert_equal "function", other.eval("typeof NS.contextGlobal")
    assert_equal "other", main.eval("NS.contextGlobal(#{other.id}).tag")
    assert_equal "Error: unknown context 99", main.eval("try { NS.contextGlobal(99) } catch (e) { String(e) }")
    assert_equal [other.id, 0, nil, nil, 0],
                 main.eval("[NS.contextOf(NS.contextGlobal(#{other.id}).thing), NS.contextOf({}), NS.contextOf(1), " \
                           "NS.contextOf('s'), NS.contextOf(() => 1)]")
    main.eval("globalThis.other = NS.contextGlobal(#{other.id}).thing")
    other.reset
    assert_nil main.eval("NS.contextOf(other)")
    assert_equal "function", other.eval("typeof NS.contextOf") # installed again
  end

  def test_the_promise_reject_handler_sees_unhandled_rejections_and_late_handlers
    iso = isolate(host_namespace: "NS")
    main = iso.context
    other = iso.create_context
    main.eval("globalThis.events = []; NS.setPromiseRejectHandler((e, c, p, r) => events.push([e, c, String(r)]))")
    other.eval("Promise.reject(new Error('lost')); const late = Promise.reject('late'); late.catch(() => {})")
    events = main.eval("events")
    assert_includes events, [0, other.id, "Error: lost"]
    assert_includes events, [0, other.id, "late"]
    assert_includes events, [1, other.id, "undefined"]
    # (V8 defines events 2 and 3, a reject or resolve after resolve, but
    # this build does not report them.)
    main.eval("NS.setPromiseRejectHandler(null); events.length = 0")
    other.eval("Promise.reject(1)")
    assert_equal 0, main.eval("events.length")
    assert_equal "Error: setPromiseRejectHandler takes a function or null",
                 main.eval("try { NS.setPromiseRejectHandler(5) } catch (e) { String(e) }")
  end

  def test_the_reject_handler_is_cleared_with_its_realm_and_never_swallows_a_stop
    iso = isolate(host_namespace: "NS", timeout_ms: 100)
    realm = iso.create_context
    realm.eval("globalThis.calls = 0; NS.setPromiseRejectHandler(() => calls++)")
    realm.reset
    iso.context.eval("Promise.reject(1)") # no handler any more: nothing runs
    assert_equal "undefined", realm.eval("typeof calls")
    iso.context.eval("NS.setPromiseRejectHandler(() => { while (true) {} })")
    assert_raises(RustyRacer::ScriptTerminatedError) { iso.context.eval("Promise.reject(1); 'went on'") }
    assert_equal 2, iso.context.eval("1 + 1")
  end

  def test_settling_a_disposed_realms_promise_from_another_realm_is_safe
    out, status = run_child(<<~RUBY)
      iso = RustyRacer::Isolate.new(host_namespace: "NS", microtasks: :explicit)
      main = iso.context
      GC.stress = true
      3.times do
        realm = iso.create_context
        realm.eval("globalThis.p = new Promise((res) => { globalThis.settle = res }); p.then((v) => globalThis.got = v)")
        main.eval("globalThis.settle = NS.contextGlobal(\#{realm.id}).settle")
        realm.dispose
        main.eval("settle({ big: new Array(100).fill(1) })")
        iso.perform_microtask_checkpoint
      end
      GC.stress = false
      puts main.eval("typeof settle")
    RUBY
    assert status.success?, out
    assert_equal "function\n", out
  end

  def test_handles_of_a_reset_realm_say_they_are_disposed_and_a_file_resolver_compiles_again
    ctx = context
    script = ctx.compile("1")
    mod = ctx.compile_module("export default 1")
    ctx.reset
    assert_predicate script, :disposed?
    assert_predicate mod, :disposed?
    Dir.mktmpdir do |dir|
      File.write(File.join(dir, "a.mjs"), "export default 'a'")
      resolver = RustyRacer::FileResolver.new(ctx, root: dir)
      first = resolver.call("./a.mjs")
      ctx.reset
      again = resolver.call("./a.mjs")
      refute_same first, again
      assert_equal "a", again.instantiate { nil }.tap(&:evaluate).namespace["default"]
    end
  end

  def test_promise_jobs_of_one_isolate_do_not_block_resetting_another
    a = context
    b_isolate = isolate
    realm = b_isolate.create_context
    realm.eval("globalThis.mark = 1")
    a.attach("reset_b", -> { realm.reset; "reset" })
    a.eval("Promise.resolve().then(() => globalThis.result = reset_b())")
    assert_equal "reset", a.eval("result")
    assert_equal "undefined", realm.eval("typeof mark")
  end

  def test_a_stale_function_of_a_reset_realm_says_so
    iso = isolate(host_namespace: "NS")
    realm = iso.create_context
    realm.attach("helper", -> { 1 })
    iso.context.eval("globalThis.stale = NS.contextGlobal(#{realm.id}).helper")
    realm.reset
    realm.attach("other", -> { 2 })
    message = iso.context.eval("try { stale() } catch (e) { String(e) }")
    assert_match(/host function \d+ is gone \(its context was reset or disposed\)/, message)
  end

  def test_a_realm_entered_through_a_call_from_another_is_not_reset_under_it
    iso = isolate(host_namespace: "NS")
    realm = iso.create_context
    reset_it = lambda do
      realm.reset
      "reset"
    rescue RustyRacer::RuntimeError => e
      e.message
    end
    realm.attach("reset_me", reset_it)
    realm.eval("globalThis.work = () => reset_me()")
    message = iso.context.eval("NS.contextGlobal(#{realm.id}).work()")
    assert_match(/while an operation runs in it/, message)
    assert_equal "function", realm.eval("typeof work")
  end
end

