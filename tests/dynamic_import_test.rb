# frozen_string_literal: true

require_relative "test_helper"

# JS import() served by Isolate#dynamic_import_resolver.
class DynamicImportTest < RustyRacerTest
  def importing_isolate(**kw, &resolver)
    iso = isolate(**kw)
    iso.dynamic_import_resolver = resolver
    iso
  end

  def test_import_links_evaluates_and_resolves_with_the_namespace
    calls = []
    iso = importing_isolate do |specifier, referrer, ctx|
      calls << [specifier, referrer, ctx.id]
      case specifier
      when "lib" then ctx.compile_module("import { base } from 'base'; export const v = base + 1; export const u = import.meta.url")
      when "base" then ctx.compile_module("export const base = 41", filename: "file:///base.mjs")
      end
    end
    ctx = iso.context
    ctx.eval("var ns; import('lib').then(m => ns = {v: m.v, u: m.u})", filename: "app.js")
    assert_equal({ "v" => 42, "u" => "lib" }, ctx.eval("ns"))
    assert_equal [["lib", "app.js", 0], ["base", "lib", 0]], calls
    assert_kind_of Proc, iso.dynamic_import_resolver
  end

  def test_a_patched_promise_then_does_not_break_it
    iso = importing_isolate { |_, _, ctx| ctx.compile_module("export default await 'tla'") }
    iso.context.eval(<<~JS)
      Promise.prototype.then = function () { throw new Error("patched") };
      var got;
      (async () => { got = (await import("x")).default })();
    JS
    assert_equal "tla", iso.context.eval("got")
  end

  def test_the_module_resolves_in_the_realm_that_imported
    realms = []
    iso = importing_isolate do |_, _, ctx|
      realms << ctx.id
      ctx.compile_module("export const g = globalThis.realmName")
    end
    other = iso.create_context
    iso.context.eval("globalThis.realmName = 'default'")
    other.eval("globalThis.realmName = 'other'")
    [other, iso.context].each { |c| c.eval("var r; import('m').then(m => r = m.g)") }
    assert_equal %w[other default], [other.eval("r"), iso.context.eval("r")]
    assert_equal [other.id, 0], realms
  end

  def test_failures_reject_the_promise
    iso = importing_isolate do |specifier, _, ctx|
      case specifier
      when "throws" then ctx.compile_module("throw new Error('evaluation failed')")
      when "needs" then ctx.compile_module("import 'nowhere'")
      when "raises" then raise ArgumentError, "resolver raised"
      when "wrong" then 42
      end
    end
    ctx = iso.context
    reason = ->(spec) { ctx.eval("var why; import(#{spec.dump}).catch(e => why = String(e))") && ctx.eval("why") }
    assert_equal "Error: evaluation failed", reason.call("throws")
    assert_match(/cannot resolve module "nowhere" imported from needs/, reason.call("needs"))
    assert_match(/cannot resolve module "missing" imported from <eval>/, reason.call("missing"))
    assert_equal "Error: resolver raised", reason.call("raises")
    assert_match(/must return a RustyRacer::Module or nil/, reason.call("wrong"))
    # The rejection is the resolver's own exception if it escapes.
    escaping = ctx.compile_module("await import('raises')").instantiate { nil }
    error = assert_raises(ArgumentError) { escaping.evaluate }
    assert_equal "resolver raised", error.message
    no_resolver = isolate.context
    no_resolver.eval("var why; import('x').catch(e => why = String(e))")
    assert_match(/no RustyRacer::Isolate#dynamic_import_resolver is set/, no_resolver.eval("why"))
  end

  def test_a_runaway_imported_module_is_stopped_by_the_outer_timeout
    iso = importing_isolate(timeout_ms: 100) { |_, _, ctx| ctx.compile_module("while (true) {}") }
    error = assert_raises(RustyRacer::ScriptTerminatedError) { iso.context.eval("import('spin'); 1") }
    assert_match(/timed out after 100 ms/, error.message)
    assert_equal 2, iso.context.eval("1 + 1")
  end

  def test_the_resolver_survives_gc_compact
    out, status = run_child(<<~RUBY)
      iso = RustyRacer::Isolate.new
      iso.dynamic_import_resolver = ->(s, _, ctx) { ctx.compile_module("export default \#{s.dump}.toUpperCase()") }
      GC.start; GC.compact if GC.respond_to?(:compact); GC.start
      iso.context.eval("var r; import('ok').then(m => r = m.default)")
      puts iso.context.eval("r")
    RUBY
    assert status.success?, out
    assert_equal "OK\n", out
  end

  def test_a_module_imported_twice_is_evaluated_once
    evaluations = 0
    mod = nil
    iso = importing_isolate do |_, _, ctx|
      evaluations += 1
      mod ||= ctx.compile_module("globalThis.count = (globalThis.count || 0) + 1; export default count")
    end
    ctx = iso.context
    ctx.eval("var a = []; import('m').then(m => a.push(m.default)); import('m').then(m => a.push(m.default))")
    assert_equal [1, 1], ctx.eval("a")
    assert_equal 2, evaluations
    assert_equal 1, ctx.eval("count")
  end

  def test_import_of_a_module_under_evaluation_or_being_linked
    iso = isolate
    ctx = iso.context
    a = ctx.compile_module("import './b'; export const name = 'a';", filename: "a")
    b = ctx.compile_module("export let got; import('a').then(ns => got = ns.name);", filename: "b")
    iso.dynamic_import_resolver = ->(specifier, _, _) { specifier == "a" ? a : b }
    a.instantiate { b }.evaluate
    assert_equal "a", b.namespace["got"]

    linking = ctx.compile_module("import './dep'; export default 1")
    iso.dynamic_import_resolver = ->(_, _, _) { linking }
    linking.instantiate do
      ctx.eval("var why; import('linking').catch(e => why = String(e))")
      ctx.compile_module("export default 2")
    end
    iso.perform_microtask_checkpoint
    assert_match(/while another is being linked/, ctx.eval("why"))
  end

  def test_non_local_exits_from_the_resolver_stop_the_js_and_are_raised
    out, status = run_child(<<~RUBY)
      require "timeout"
      iso = RustyRacer::Isolate.new
      iso.dynamic_import_resolver = ->(*) { throw :out }
      p(catch(:out) { iso.context.eval("import('a'); 'went on'") })
      iso.dynamic_import_resolver = ->(*) { sleep 5 }
      begin
        Timeout.timeout(0.1) { iso.context.eval("import('b'); 'went on'") }
      rescue Timeout::Error
        puts "timeout"
      end
      mod = iso.context.compile_module("await import('c')")
      iso.dynamic_import_resolver = ->(*) { raise Interrupt }
      begin
        mod.instantiate { nil }.evaluate
      rescue Interrupt
        puts "interrupt"
      end
      p iso.context.eval("1 + 1")
    RUBY
    assert status.success?, out
    assert_equal "nil\ntimeout\ninterrupt\n2\n", out
  end

  def test_a_resolver_resumed_inside_another_operation_is_parked
    out, status = run_child(<<~RUBY)
      ctx = RustyRacer::Isolate.new.context
      dep = ctx.compile_module("export const v = 1", filename: "dep")
      mod = ctx.compile_module("import { v } from 'dep'; export default v", filename: "m")
      fiber = Fiber.new { mod.instantiate { Fiber.yield; dep }; :linked }
      fiber.resume
      ctx.attach("resume", -> { fiber.resume; 1 })
      begin
        ctx.eval("resume()")
      rescue RustyRacer::RuntimeError => e
        puts e.message[/resumed inside another operation/]
      end
      p fiber.resume
      mod.evaluate
      p mod.namespace.to_a
    RUBY
    assert status.success?, out
    assert_equal "resumed inside another operation\n:linked\n[[\"default\", 1]]\n", out
  end
end

