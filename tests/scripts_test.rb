# frozen_string_literal: true

require_relative "test_helper"

# Context#compile and RustyRacer::Script: compiled once, run again.
class ScriptsTest < RustyRacerTest
  def test_a_script_runs_again_and_returns_its_completion_value
    ctx = context
    script = ctx.compile("globalThis.runs = (globalThis.runs || 0) + 1", filename: "count.js")
    assert_instance_of RustyRacer::Script, script
    assert_equal [1, 2, 3], Array.new(3) { script.run }
    assert_nil script.run_void
    assert_equal 4, ctx.eval("runs")
  end

  def test_top_level_lexical_declarations_stay_visible_and_a_rerun_reports_the_redeclaration
    ctx = context
    script = ctx.compile("const limit = 10; let seen = []; class Box {}; limit")
    assert_equal 10, script.run
    assert_equal [10, "function", true], ctx.eval("[limit, typeof Box, Array.isArray(seen)]")
    assert_equal 10, ctx.compile("limit").run
    error = assert_raises(RustyRacer::RuntimeError) { script.run }
    assert_match(/Identifier 'limit' has already been declared/, error.message)
    assert_equal 11, ctx.eval("limit + 1")
  end

  def test_a_syntax_error_is_raised_at_compile_time_and_a_throw_at_run_time
    ctx = context
    error = assert_raises(RustyRacer::ParseError) { ctx.compile("\n\nlet = ;", filename: "broken.js") }
    assert_match(/SyntaxError/, error.message)
    assert_match(/broken\.js:3/, error.message)
    script = ctx.compile("function boom() { throw new TypeError('no') }\nboom()", filename: "throws.js")
    error = assert_raises(RustyRacer::RuntimeError) { script.run }
    assert_equal "TypeError: no", error.message
    assert_match(/throws\.js:1/, error.backtrace.first)
  end

  def test_run_honours_the_isolate_timeout_and_a_per_call_one
    ctx = context(timeout_ms: 100)
    spin = ctx.compile("while (true) {}", filename: "spin.js")
    assert_raises(RustyRacer::ScriptTerminatedError) { spin.run }
    error = assert_raises(RustyRacer::ScriptTerminatedError) { spin.run_void(timeout_ms: 30) }
    assert_match(/timed out after 30 ms/, error.message)
    slow = ctx.compile("let t = Date.now(); while (Date.now() - t < 200) {}; 'done'")
    assert_equal "done", slow.run(timeout_ms: 0)
    assert_raises(ArgumentError) { slow.run(timeout_ms: -1) }
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_dispose_and_use_after_dispose
    iso = isolate
    script = iso.context.compile("1")
    refute_predicate script, :disposed?
    script.dispose
    script.dispose
    assert_predicate script, :disposed?
    assert_raises(RustyRacer::DisposedError) { script.run }
    assert_raises(RustyRacer::DisposedError) { script.create_code_cache }
    other = iso.context.compile("2")
    iso.dispose
    assert_predicate other, :disposed?
    assert_raises(RustyRacer::DisposedError) { other.run }
  end

  def test_scripts_are_confined_to_the_owner_thread
    script = context.compile("1")
    assert_instance_of RustyRacer::WrongThreadError, on_other_thread { script.run }
  end

  def test_a_script_compiled_and_run_inside_a_callback
    ctx = context
    ctx.attach("nested", ->(src) { ctx.compile(src).run })
    assert_equal 42, ctx.eval("nested('6 * 7')")
  end

  def test_unreachable_scripts_are_released
    out, status = run_child(<<~RUBY)
      ctx = RustyRacer::Isolate.new.context
      2000.times { |i| ctx.compile("var x\#{i} = new Array(1000).fill(\#{i}); x\#{i}.length").run }
      GC.start
      puts ctx.eval("1 + 1")
    RUBY
    assert status.success?, out
    assert_equal "2\n", out
  end
end
