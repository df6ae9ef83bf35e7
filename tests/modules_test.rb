# frozen_string_literal: true

require_relative "test_helper"

# ES modules: compile, link through a resolver block, evaluate, namespace.
class ModulesTest < RustyRacerTest
  # A resolver over a Hash of specifier => source, compiling lazily and
  # recording what it was asked.
  def registry(ctx, sources, asked = [])
    compiled = {}
    lambda do |specifier, referrer|
      asked << [specifier, referrer]
      next nil unless sources.key?(specifier)

      compiled[specifier] ||= ctx.compile_module(sources.fetch(specifier), filename: specifier)
    end
  end

  def test_a_graph_links_evaluates_and_exports
    ctx = context
    asked = []
    main = ctx.compile_module(<<~JS, filename: "app/main.mjs")
      import { add } from "./math.mjs";
      import greeting from "./greeting.mjs";
      export const sum = add(40, 2);
      export const text = greeting;
      export const url = import.meta.url;
    JS
    assert_instance_of RustyRacer::Module, main
    assert_equal :uninstantiated, main.status
    resolver = registry(ctx, { "./math.mjs" => "export function add(a, b) { return a + b }",
                               "./greeting.mjs" => "export default 'hi'" }, asked)
    assert_same main, main.instantiate(&resolver)
    assert_equal [["./math.mjs", "app/main.mjs"], ["./greeting.mjs", "app/main.mjs"]], asked
    assert_equal :instantiated, main.status
    assert_same main, main.instantiate { raise "not asked again" }
    assert_nil main.evaluate
    assert_equal :evaluated, main.status
    assert_equal({ "sum" => 42, "text" => "hi", "url" => "app/main.mjs" }, main.namespace)
    assert_equal "app/main.mjs", main.url
    assert_nil main.evaluate # again: reports how it went
  end

  def test_instantiate_needs_a_block
    mod = context.compile_module("export default 1")
    error = assert_raises(ArgumentError) { mod.instantiate }
    assert_match(/block/, error.message)
  end

  def test_top_level_await_settles_with_the_microtasks
    ctx = context
    mod = ctx.compile_module("export const v = await Promise.resolve(5);")
    mod.instantiate { nil }
    assert mod.graph_async?
    mod.evaluate
    assert_equal({ "v" => 5 }, mod.namespace)

    failing = ctx.compile_module("await null; throw new RangeError('late')", filename: "late.mjs")
    failing.instantiate { nil }
    error = assert_raises(RustyRacer::RuntimeError) { failing.evaluate }
    assert_equal "RangeError: late", error.message
    assert_equal :errored, failing.status
  end

  def test_with_explicit_microtasks_top_level_await_waits_for_a_checkpoint
    iso = isolate(microtasks: :explicit)
    mod = iso.context.compile_module("export let v = 1; await null; v = 2;")
    mod.instantiate { nil }
    assert_nil mod.evaluate
    assert_equal :evaluated, mod.status
    assert_equal 1, mod.namespace["v"]
    iso.perform_microtask_checkpoint
    assert_equal 2, mod.namespace["v"]
  end

  def test_graph_async_over_the_cases
    ctx = context
    async_of = lambda do |source, deps = {}|
      mod = ctx.compile_module(source)
      mod.instantiate(&registry(ctx, deps))
      mod.graph_async?
    end
    refute async_of.call("export default 1")
    refute async_of.call("export async function f() { await 1 }")
    refute async_of.call("import('x').catch(() => {})")
    assert async_of.call("await import('x').catch(() => {})")
    assert async_of.call("import './dep.mjs'", { "./dep.mjs" => "await 1" })
    refute async_of.call("import './a.mjs'", { "./a.mjs" => "import './b.mjs'", "./b.mjs" => "import './a.mjs'" })

    unlinked = ctx.compile_module("export default 1")
    error = assert_raises(RustyRacer::RuntimeError) { unlinked.graph_async? }
    assert_match(/not instantiated/, error.message)
    outer = ctx.compile_module("import './d.mjs'")
    seen = nil
    outer.instantiate do
      seen = begin
        outer.graph_async?
      rescue RustyRacer::RuntimeError => e
        e
      end
      ctx.compile_module("export default 2")
    end
    assert_kind_of RustyRacer::RuntimeError, seen
    failed = ctx.compile_module("import './missing.mjs'")
    assert_raises(RustyRacer::RuntimeError) { failed.instantiate { nil } }
    assert_equal :uninstantiated, failed.status
    assert_raises(RustyRacer::RuntimeError) { failed.graph_async? }
  end

  def test_misuse_before_instantiation_raises_naming_what_is_missing
    mod = context.compile_module("export const a = 1")
    [-> { mod.evaluate }, -> { mod.namespace }].each do |use|
      error = assert_raises(RustyRacer::RuntimeError) { use.call }
      assert_match(/not instantiated: call #instantiate before #(evaluate|namespace)/, error.message)
    end
  end

  def test_bindings_before_evaluation
    mod = context.compile_module("export let late = 1; export function early() { return 2 }")
    mod.instantiate { nil }
    error = assert_raises(RustyRacer::RuntimeError) { mod.namespace }
    assert_match(/before initialization/, error.message)
    hoisted = context.compile_module("export function early() { return 2 }")
    hoisted.instantiate { nil }
    assert_kind_of RustyRacer::JSFunction, hoisted.namespace["early"]
    assert_equal 2, hoisted.namespace["early"].call
  end

  def test_an_errored_module_keeps_raising_its_error
    mod = context.compile_module("throw new TypeError('broken module')", filename: "bad.mjs")
    mod.instantiate { nil }
    2.times do
      error = assert_raises(RustyRacer::RuntimeError) { mod.evaluate }
      assert_equal "TypeError: broken module", error.message
    end
    error = assert_raises(RustyRacer::RuntimeError) { mod.namespace }
    assert_equal "TypeError: broken module", error.message
  end

  def test_resolver_answers_that_fail_the_link
    ctx = context
    importing = -> { ctx.compile_module("import x from './dep.mjs'", filename: "importer.mjs") }
    error = assert_raises(RustyRacer::RuntimeError) { importing.call.instantiate { nil } }
    assert_match(%r{"\./dep\.mjs" imported from importer\.mjs}, error.message)
    error = assert_raises(TypeError) { importing.call.instantiate { "not a module" } }
    assert_equal "module resolver must return a RustyRacer::Module or nil (got String)", error.message
    custom = Class.new(StandardError)
    assert_raises(custom) { importing.call.instantiate { raise custom, "resolver failed" } }
    other_realm = isolate.create_context
    error = assert_raises(RustyRacer::RuntimeError) do
      realm = @isolates.last.context.compile_module("export default 1")
      other_realm.compile_module("import './dep.mjs'").instantiate { realm }
    end
    assert_match(%r{"\./dep\.mjs".*another realm}, error.message)
    foreign = isolate.context.compile_module("export default 1")
    error = assert_raises(RustyRacer::Error) { importing.call.instantiate { foreign } }
    assert_match(/another isolate/, error.message)
    mod = importing.call
    assert_equal :uninstantiated, mod.status
    mod.instantiate { ctx.compile_module("export default 3") }
    assert_equal :instantiated, mod.status
  end

  def test_a_raising_resolver_propagates_under_gc_stress
    out, status = run_child(<<~RUBY)
      ctx = RustyRacer::Isolate.new.context
      Oops = Class.new(StandardError)
      GC.stress = true
      3.times do
        ctx.compile_module("import './a.mjs'; import './b.mjs'").instantiate { |s| s == "./a.mjs" ? ctx.compile_module("export default 1") : raise(Oops, "no \#{s}") }
      rescue Oops => e
        print e.message, ";"
      end
      GC.stress = false
      puts
    RUBY
    assert status.success?, out
    assert_equal "no ./b.mjs;no ./b.mjs;no ./b.mjs;\n", out
  end

  def test_instantiate_from_inside_a_resolver_is_refused_and_the_outer_link_goes_on
    ctx = context
    refused = nil
    main = ctx.compile_module("import a from './a.mjs'; import b from './b.mjs'; export default a + b")
    main.instantiate do |specifier|
      dep = ctx.compile_module("export default '#{specifier}'")
      begin
        ctx.compile_module("export default 0").instantiate { nil }
      rescue RustyRacer::RuntimeError => e
        refused = e
      end
      dep
    end
    assert_match(/while another is being linked/, refused.message)
    main.evaluate
    assert_equal "./a.mjs./b.mjs", main.namespace["default"]
  end

  def test_a_looping_module_honours_timeout_and_stays_errored
    ctx = context(timeout_ms: 100)
    mod = ctx.compile_module("while (true) {}", filename: "loop.mjs")
    mod.instantiate { nil }
    assert_raises(RustyRacer::ScriptTerminatedError) { mod.evaluate }
    assert_equal :errored, mod.status
    error = assert_raises(RustyRacer::RuntimeError) { mod.evaluate }
    assert_match(/stopped/, error.message)
    other = ctx.compile_module("while (true) {}")
    other.instantiate { nil }
    error = assert_raises(RustyRacer::ScriptTerminatedError) { other.evaluate(timeout_ms: 20) }
    assert_match(/20 ms/, error.message)
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_modules_inside_host_callbacks
    ctx = context
    ctx.attach("load", lambda { |src|
      mod = ctx.compile_module(src)
      mod.instantiate { ctx.compile_module("export const base = 40") }
      mod.evaluate
      mod.namespace["value"]
    })
    assert_equal 42, ctx.eval("load(\"import { base } from 'b'; export const value = base + 2\")")
  end

  def test_disposal
    iso = isolate
    mod = iso.context.compile_module("export default 1")
    mod.dispose
    assert_predicate mod, :disposed?
    assert_raises(RustyRacer::DisposedError) { mod.status }
    other = iso.context.compile_module("export default 1")
    iso.dispose
    %i[status namespace evaluate graph_async? create_code_cache].each do |m|
      assert_raises(RustyRacer::DisposedError) { other.public_send(m) }
    end
    assert_raises(RustyRacer::DisposedError) { other.instantiate { nil } }
    assert_predicate other, :disposed?
  end

  def test_a_disposed_module_is_not_a_resolver_answer
    ctx = context
    dep = ctx.compile_module("export default 1")
    dep.dispose
    assert_raises(RustyRacer::DisposedError) { ctx.compile_module("import './d'").instantiate { dep } }
  end

  def test_evaluate_from_inside_its_own_evaluation_is_refused
    ctx = context
    mod = ctx.compile_module("export const seen = reenter(); export default 1")
    reenter = lambda do
      mod.evaluate
    rescue RustyRacer::RuntimeError => e
      [mod.status.to_s, e.message]
    end
    ctx.attach("reenter", reenter)
    mod.instantiate { nil }.evaluate
    assert_equal ["evaluating", "the module is being evaluated (#evaluate was called from inside its own evaluation)"],
                 mod.namespace["seen"]
  end

  def test_modules_stopped_below_or_after_top_level_await_say_so
    ctx = context(timeout_ms: 50)
    dep = ctx.compile_module("while (true) {}", filename: "dep")
    main = ctx.compile_module("import 'dep'", filename: "main")
    main.instantiate { dep }
    assert_raises(RustyRacer::ScriptTerminatedError) { main.evaluate }
    [main, dep].each do |mod|
      error = assert_raises(RustyRacer::RuntimeError) { mod.evaluate }
      assert_match(/evaluation was stopped/, error.message)
    end
    late = ctx.compile_module("await 0; while (true) {}; export default 1")
    late.instantiate { nil }
    assert_raises(RustyRacer::ScriptTerminatedError) { late.evaluate }
    %i[evaluate namespace].each do |m|
      error = assert_raises(RustyRacer::RuntimeError) { late.public_send(m) }
      assert_match(/evaluation was stopped/, error.message)
    end
  end

  def test_an_imported_module_keeps_its_url_after_its_ruby_object_is_collected
    out, status = run_child(<<~RUBY)
      ctx = RustyRacer::Isolate.new.context
      main = ctx.compile_module("import { u } from './x.mjs'; export const v = u;", filename: "file:///app/main.mjs")
      main.instantiate { ctx.compile_module("export const u = import.meta.url", filename: "file:///app/x.mjs") }
      GC.start(full_mark: true, immediate_sweep: true)
      ctx.eval("1") # the next operation releases what the GC let go
      main.evaluate
      p main.namespace.to_a
    RUBY
    assert status.success?, out
    assert_equal "[[\"v\", \"file:///app/x.mjs\"]]\n", out
  end
end

