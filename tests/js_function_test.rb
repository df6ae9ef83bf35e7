# frozen_string_literal: true

require_relative "test_helper"
require "open3"
require "weakref"

class JSFunctionTest < RustyRacerTest
  def test_call_passes_marshalled_arguments_with_this_undefined
    ctx = context
    f = ctx.eval("(function namedFn(a, b) { 'use strict'; return {sum: a + b, thisType: typeof this} })")
    assert_equal({ "sum" => 3, "thisType" => "undefined" }, f.call(1, 2))
    assert_equal({ "sum" => "ab", "thisType" => "undefined" }, f.call("a", "b"))
    args = ctx.eval("(function(...xs) { return xs.map(x => Object.prototype.toString.call(x)) })")
    assert_equal ["[object Map]", "[object Set]", "[object Uint8Array]", "[object Null]", "[object BigInt]"],
                 args.call(RustyRacer::JSMap[1 => 2], Set[1], "\x01".b, nil, 2**64)
    assert_equal 0, ctx.eval("(function(...xs) { return xs.length })").call
    sloppy = ctx.eval("(function() { return this === globalThis })")
    assert_equal true, sloppy.call, "undefined `this` is the global object in sloppy mode"
  end

  def test_call_returns_the_marshalled_result
    ctx = context
    f = ctx.eval("(n => ({n, list: [n, {deep: new Map([[n, new Set([n])]])}], big: BigInt(n) ** 30n}))")
    r = f.call(3)
    assert_equal({ "n" => 3, "list" => [3, { "deep" => { 3 => Set[3] } }], "big" => 3**30 }, r)
    assert_instance_of RustyRacer::JSMap, r["list"][1]["deep"]
    assert_nil ctx.eval("(() => undefined)").call
  end

  def test_call_void_runs_for_effect_and_never_marshals
    ctx = context
    f = ctx.eval("var hits = 0; (function() { hits++; return {get x() { throw new Error('never read') }} })")
    assert_nil f.call_void
    assert_equal 1, ctx.eval("hits")
    e = assert_raises(RustyRacer::RuntimeError) { f.call }
    assert_match(/never read/, e.message)
    assert_equal 2, ctx.eval("hits")
    assert_raises(RustyRacer::RuntimeError) { ctx.eval("(() => { throw new Error('still raised') })").call_void }
  end

  def test_name
    ctx = context
    assert_equal "namedFn", ctx.eval("(function namedFn() {})").name
    assert_equal "", ctx.eval("(() => 1)").name
    assert_equal "arrow", ctx.eval("const arrow = () => 1; arrow").name
    assert_equal "m", ctx.eval("({m() {}}).m").name
    assert_equal "bound f", ctx.eval("(function f() {}).bind(null)").name
    ctx.attach("rubyAdd", ->(a, b) { a + b })
    attached = ctx.eval("rubyAdd")
    assert_equal "rubyAdd", attached.name
    assert_equal 5, attached.call(2, 3), "an attached Ruby callable round-trips as a JSFunction"
  end

  def test_inspect
    ctx = context
    assert_equal "#<RustyRacer::JSFunction namedFn>", ctx.eval("(function namedFn() {})").inspect
    assert_match(/\A#<RustyRacer::JSFunction\b.*>\z/, ctx.eval("(() => 1)").inspect)
  end

  def test_to_proc
    ctx = context
    times10 = ctx.eval("(x => x * 10)")
    assert_equal [10, 20], [1, 2].map(&times10)
    pr = times10.to_proc
    assert_kind_of Proc, pr
    assert_equal 30, pr.call(3)
    assert_equal %w[A B], %w[a b].map(&ctx.eval("(s => s.toUpperCase())"))
  end

  def test_a_throw_raises_runtime_error_with_the_js_message
    ctx = context
    f = ctx.eval("(function thrower() { throw new TypeError('bad thing') })", filename: "thrower.js")
    e = assert_raises(RustyRacer::RuntimeError) { f.call }
    assert_equal "TypeError: bad thing", e.message
    assert(e.backtrace.any? { |frame| frame.include?("thrower.js") && frame.include?("thrower") }, e.backtrace.inspect)
    e = assert_raises(RustyRacer::RuntimeError) { ctx.eval("(() => { throw 42 })").call }
    assert_equal "42", e.message
    error_class = Class.new(StandardError)
    ctx.attach("rubyFails", -> { raise error_class, "from ruby" })
    e = assert_raises(error_class) { ctx.eval("(() => rubyFails())").call }
    assert_equal "from ruby", e.message
    assert_equal 1, ctx.eval("1"), "usable afterwards"
  end

  def test_timeout_stops_a_looping_function_and_the_isolate_stays_usable
    iso = isolate(timeout_ms: 50)
    ctx = iso.context
    spin = ctx.eval("(function spin() { for (;;) {} })")
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    e = assert_raises(RustyRacer::ScriptTerminatedError) { spin.call }
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 2
    assert_match(/timed out after 50 ms/, e.message)
    assert_raises(RustyRacer::ScriptTerminatedError) { spin.call_void }
    assert_raises(RustyRacer::ScriptTerminatedError) { [1].map(&spin) }
    assert_equal 4, ctx.eval("(x => x * 2)").call(2)
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_a_js_function_that_calls_attached_ruby_callbacks
    ctx = context
    seen = []
    ctx.attach("rb10", ->(x) { seen << x; x * 10 })
    f = ctx.eval("(x => rb10(x) + rb10(x + 1))")
    assert_equal 90, f.call(4)
    assert_equal [4, 5], seen
  end

  def test_a_callback_that_calls_a_js_function
    ctx = context
    add = ctx.eval("(function add(a, b) { return a + b })")
    ctx.attach("viaRuby", ->(x) { add.call(x, 1) })
    assert_equal 3, ctx.eval("viaRuby(2)")
    ctx.attach("rubyTwice", ->(x) { x * 2 })
    outer = ctx.eval("(x => viaRuby(rubyTwice(x)))")
    ctx.attach("deeper", ->(x) { outer.call(x) + add.call(0, 100) })
    assert_equal 107, ctx.eval("deeper(3)"), "JS → Ruby → JS → Ruby → JS"
  end

  def test_calls_from_another_thread_raise_wrong_thread_error
    ctx = context
    f = ctx.eval("var ran = 0; (function namedFn() { ran++; return 1 })")
    pr = f.to_proc
    [-> { f.call }, -> { f.call_void }, -> { f.name }, -> { f.to_proc }, -> { pr.call }].each_with_index do |op, i|
      e = on_other_thread(&op)
      assert_kind_of RustyRacer::WrongThreadError, e, "operation #{i}"
    end
    assert_equal 0, ctx.eval("ran"), "the function never ran"
    assert_equal 1, f.call, "still usable on the owner thread"
  end

  def test_after_dispose_calls_raise_disposed_error_and_inspect_does_not
    iso = isolate
    f = iso.context.eval("(function namedFn() { return 1 })")
    pr = f.to_proc
    iso.dispose
    assert_raises(RustyRacer::DisposedError) { f.call }
    assert_raises(RustyRacer::DisposedError) { f.call_void }
    assert_raises(RustyRacer::DisposedError) { f.name }
    assert_raises(RustyRacer::DisposedError) { pr.call }
    assert_raises(RustyRacer::DisposedError) { [1].map(&f) }
    assert_equal "#<RustyRacer::JSFunction (disposed)>", f.inspect
  end

  def test_many_unreachable_js_functions_leave_the_isolate_working
    ctx = context
    10_000.times { ctx.eval("(() => () => 1)()") }
    3.times { GC.start }
    assert_equal 1, ctx.eval("(() => () => 1)()").call
    assert_equal 2, ctx.eval("1 + 1")
  end

  # Observed in a child process with V8's gc() exposed: JS WeakRefs to the
  # functions show whether V8 could collect them once Ruby dropped them.
  def test_unreachable_js_functions_are_released_to_v8
    lib = File.expand_path("../gem/lib", __dir__)
    code = <<~RUBY
      require "rusty_racer"
      ctx = RustyRacer::Isolate.new.context
      ctx.eval("var refs = []; function make() { const f = () => 1; refs.push(new WeakRef(f)); return f }")
      def make_many(ctx, n)
        n.times { ctx.call("make") }
        nil
      end
      kept = ctx.call("make")
      make_many(ctx, 10_000)
      4.times { GC.start }
      ctx.eval("1") # the next operation releases what Ruby dropped
      alive = ctx.eval("gc(); gc(); refs.filter(r => r.deref() !== undefined).length")
      kept_alive = ctx.eval("refs[0].deref() !== undefined")
      puts [alive, kept_alive, kept.call].inspect
    RUBY
    out, err, status = Open3.capture3({ "RUSTY_RACER_V8_FLAGS" => "--expose-gc" }, RbConfig.ruby, "-I", lib, "-e", code)
    assert status.success?, err
    alive, kept_alive, result = eval(out) # rubocop:disable Security/Eval
    assert_equal true, kept_alive, "the JSFunction Ruby still holds keeps its function"
    assert_equal 1, result
    assert_operator alive, :<, 100, "of 10,001 functions, #{alive} are still alive in V8 after Ruby dropped them"
    assert_operator alive, :>=, 1
  end

  def test_a_js_function_passed_back_to_js_is_the_same_function
    ctx = context
    f = ctx.eval("var f = function() {}; f")
    same = ctx.eval("(x => x === f)")
    assert_equal true, same.call(f)
    assert_equal true, same.call(ctx.eval("f")), "a second handle to it too"
    assert_equal true, ctx.eval("function isF(x) { return x === f }; isF").call(f)
    assert_equal true, ctx.call("isF", f)
    in_containers = ctx.eval("(o => o.list[0] === f && o.m.get(1) === f)")
    assert_equal true, in_containers.call({ "list" => [f], "m" => RustyRacer::JSMap[1 => f] })
  end

  def test_a_js_function_from_another_isolate_raises
    ctx = context
    foreign = context.eval("(function foreign() {})")
    calls = ctx.eval("var calls = 0; (function(x) { calls++; return typeof x })")
    e = assert_raises(RustyRacer::Error) { calls.call(foreign) }
    assert_match(/another isolate/, e.message)
    assert_raises(RustyRacer::Error) { calls.call([1, { "f" => foreign }]) }
    ctx.eval("function counted(x) { calls++ }")
    assert_raises(RustyRacer::Error) { ctx.call("counted", foreign) }
    assert_equal 0, ctx.eval("calls"), "JS never ran"
    assert_equal "function", calls.call(ctx.eval("(() => 1)"))
  end

  def test_a_js_function_from_a_callbacks_arguments_works_after_the_callback_returns
    ctx = context
    kept = nil
    ctx.attach("keep", ->(fn) { kept = fn; nil })
    ctx.eval("let base = 1; keep(function later(x) { return x + base })")
    GC.start
    ctx.eval("base = 10")
    assert_equal 51, kept.call(41)
    assert_equal "later", kept.name
  end
end

# What attached callables (and the objects they capture) cost once replaced
# or once their isolate is gone.
class CallableReleaseTest < RustyRacerTest
  def live_procs
    3.times { GC.start }
    ObjectSpace.each_object(Proc).count
  end

  def test_reattaching_the_same_name_does_not_keep_the_old_callables
    ctx = context
    ctx.attach("f", ->(x) { x })
    before = live_procs
    10_000.times { ctx.attach("f", ->(x) { x }) }
    grown = live_procs - before
    assert_operator grown, :<, 1000, "#{grown} more Procs are alive after re-attaching 10,000 times"
    assert_equal 5, ctx.eval("f(5)")
    ctx.attach("f", ->(x) { x * 2 })
    assert_equal 10, ctx.eval("f(5)"), "the latest one is called"
  end

  # In a child process: Ruby's GC scans machine stacks conservatively, and
  # a stale word left by earlier tests (seen after a Fiber ran inside a
  # callback) can keep one object alive by chance.
  COLLECTED = <<~'RUBY'
    require "weakref"
    def attach_capturing(ctx, name)
      captured = Object.new
      ctx.attach(name, -> { captured.object_id })
      WeakRef.new(captured)
    end
    def collected?(ref)
      5.times do
        GC.start(full_mark: true, immediate_sweep: true)
        return true unless ref.weakref_alive?
      end
      false
    end
  RUBY

  def test_a_replaced_callable_becomes_collectable
    out, status = run_child(COLLECTED + <<~'RUBY')
      ctx = RustyRacer::Isolate.new.context
      ref = attach_capturing(ctx, "g")
      ctx.eval("g()")
      puts "kept while attached: #{!collected?(ref)}"
      ctx.attach("g", -> { 2 })
      puts "collected once replaced: #{collected?(ref)}"
      puts ctx.eval("g()")
    RUBY
    assert_predicate status, :success?, out
    assert_equal ["kept while attached: true", "collected once replaced: true", "2"], out.lines.map(&:chomp)
  end

  def test_after_dispose_attached_callables_become_collectable
    out, status = run_child(COLLECTED + <<~'RUBY')
      iso = RustyRacer::Isolate.new
      ref = attach_capturing(iso.context, "h")
      iso.context.eval("h()")
      puts "kept while the isolate lives: #{!collected?(ref)}"
      iso.dispose
      puts "collected after dispose: #{collected?(ref)}"
    RUBY
    assert_predicate status, :success?, out
    assert_equal ["kept while the isolate lives: true", "collected after dispose: true"], out.lines.map(&:chomp)
  end
end
