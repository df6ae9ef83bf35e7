# frozen_string_literal: true

require_relative "test_helper"

# Where a stop lands, nested deadlines, and stops that must not leak into
# later operations.
class TerminationTest < RustyRacerTest
  APP = <<~JS
    function spin() {
      let i = 0;
      for (;;) { i++ }
    }
    function outer() { return spin() }
  JS

  def app_context(**kw)
    context(**kw).tap { |ctx| ctx.eval(APP, filename: "app.js") }
  end

  def test_a_timeout_names_the_running_function_and_its_stack
    ctx = app_context(timeout_ms: 50)
    error = assert_raises(RustyRacer::ScriptTerminatedError) { ctx.call("outer") }
    assert_equal "JavaScript timed out after 50 ms in spin (app.js:3:3)", error.message
    assert_equal ["spin (app.js:3:3)", "outer (app.js:5:27)"], error.js_backtrace
    assert_equal ["app.js:3:3:in 'spin'", "app.js:5:27:in 'outer'"], error.backtrace
  end

  def test_terminate_from_another_thread_names_the_function
    iso = isolate
    ctx = iso.context
    ctx.eval(APP, filename: "app.js")
    stopper = Thread.new { sleep 0.1; iso.terminate }
    error = assert_raises(RustyRacer::ScriptTerminatedError) { ctx.call("outer") }
    stopper.join
    assert_equal "JavaScript was terminated in spin (app.js:3:3)", error.message
    assert_equal "spin (app.js:3:3)", error.js_backtrace.first
  end

  def test_a_stop_in_a_getter_while_a_result_is_read
    iso = isolate
    ctx = iso.context
    ctx.attach("stop", proc { iso.terminate; 1 })
    error = assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval("({ get a() { return stop() } })") }
    # The getter ran while the result was read: its own frame, and none of
    # rusty_racer's helpers.
    assert_equal ["get a (<eval>:1:21)"], error.js_backtrace
  end

  def test_a_nested_timeout_escalates_naming_the_culprit_even_if_js_rethrows
    ctx = app_context
    ctx.attach("nested", proc { ctx.eval("spin()", timeout_ms: 50) })
    error = assert_raises(RustyRacer::ScriptTerminatedError) do
      ctx.eval("try { nested() } catch (e) { throw e }; 'went on'", timeout_ms: 5_000)
    end
    assert_match(/in spin \(app\.js:3:3\)/, error.message)
    assert_equal "spin (app.js:3:3)", error.js_backtrace.first
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_the_outer_deadline_stays_armed_after_a_nested_operation
    ctx = app_context
    ctx.attach("quick", proc { ctx.eval("1", timeout_ms: 10) })
    t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    error = assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval("quick(); spin()", timeout_ms: 150) }
    took = Process.clock_gettime(Process::CLOCK_MONOTONIC) - t
    assert_match(/timed out after 150 ms/, error.message)
    assert_operator took, :<, 2
  end

  def test_an_outer_terminate_is_not_erased_by_a_nested_deadline
    iso = isolate
    ctx = iso.context
    ctx.eval(APP, filename: "app.js")
    ctx.attach("nested", proc do
      iso.terminate
      ctx.eval("1 + 1", timeout_ms: 20)
    end)
    assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval("nested(); spin()") }
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_late_and_idle_stops_never_stop_the_next_operation
    ctx = context
    1000.times do
      ctx.eval("{ let x = 0; for (let i = 0; i < 200; i++) x += i }", timeout_ms: 1)
    rescue RustyRacer::ScriptTerminatedError
      nil
    end
    assert_equal 42, ctx.eval("6 * 7")
    assert_equal 7, ctx.eval("{ const t = Date.now(); while (Date.now() - t < 60) {} } 7")
  end

  def test_terminate_while_idle_then_a_long_operation_completes
    iso = isolate
    3.times { iso.terminate }
    sleep 0.05 # past the watchdog's direct termination of an unlanded stop
    assert_equal 7, iso.context.eval("{ const t = Date.now(); while (Date.now() - t < 60) {} } 7")
  end

  def test_dispose_from_another_thread_while_js_runs_does_not_hang
    iso = isolate
    ctx = iso.context
    disposer = Thread.new { sleep 0.1; iso.dispose }
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval("for (;;) {}") }
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 2
    assert_nil disposer.value
    assert iso.disposed?
    assert_raises(RustyRacer::DisposedError) { ctx.eval("1") }
  end

  def test_dispose_from_another_thread_while_idle
    iso = isolate
    ctx = iso.context
    assert_nil on_other_thread { iso.dispose }
    assert iso.disposed?
    assert_raises(RustyRacer::DisposedError) { ctx.eval("1") }
  end
end
