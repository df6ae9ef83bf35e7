# frozen_string_literal: true

require_relative "test_helper"
require "timeout"

# A callback that leaves non-locally (anything but a StandardError) stops
# the JS at once, uncatchably; the exit then continues in Ruby.
class NonLocalExitsTest < RustyRacerTest
  # JS that catches what x() throws, then calls back five more times.
  CATCH_AND_GO_ON = "try { x() } catch (e) { cnt() }; for (let i = 0; i < 5; i++) cnt(); 'ran on'"

  def setup
    super
    @iso = isolate
    @ctx = @iso.context
    @calls = 0
    @ctx.attach("cnt", proc { @calls += 1 })
  end

  def assert_stopped_at_once
    assert_equal 0, @calls, "JS went on after the callback left"
    assert_equal 2, @ctx.eval("1 + 1")
  end

  def test_throw
    @ctx.attach("x", proc { throw :done })
    assert_nil(catch(:done) { @ctx.eval(CATCH_AND_GO_ON) })
    assert_stopped_at_once
  end

  def run_with_block(&block)
    @ctx.attach("x", block)
    @ctx.eval(CATCH_AND_GO_ON)
  end

  def test_break_from_the_block_given_to_a_method
    assert_equal :broke, run_with_block { break :broke }
    assert_stopped_at_once
  end

  def test_exit
    @ctx.attach("x", proc { exit 3 })
    error = assert_raises(SystemExit) { @ctx.eval(CATCH_AND_GO_ON) }
    assert_equal 3, error.status
    assert_stopped_at_once
  end

  def test_signal_exception
    @ctx.attach("x", proc { raise SignalException, "TERM" })
    assert_raises(SignalException) { @ctx.eval(CATCH_AND_GO_ON) }
    assert_stopped_at_once
  end

  def test_an_exit_inside_an_exception_message
    error_class = Class.new(StandardError) { def message = exit(4) }
    @ctx.attach("x", proc { raise error_class })
    assert_raises(SystemExit) { @ctx.eval(CATCH_AND_GO_ON) }
    assert_stopped_at_once
  end

  def test_timeout_while_a_callback_sleeps
    @ctx.attach("x", proc { sleep 2 })
    assert_raises(Timeout::Error) { Timeout.timeout(0.1) { @ctx.eval(CATCH_AND_GO_ON) } }
    assert_stopped_at_once
  end

  def test_thread_kill_inside_a_callback_runs_ensure_blocks
    ensured = false
    calls = nil
    thread = Thread.new do
      ctx = RustyRacer::Isolate.new.context
      calls = 0
      ctx.attach("cnt", proc { calls += 1 })
      ctx.attach("x", proc { Thread.current.kill })
      begin
        ctx.eval(CATCH_AND_GO_ON)
      ensure
        ensured = true
      end
    end
    thread.join
    assert ensured
    refute thread.alive?
    assert_equal 0, calls
  end

  def test_terminate_from_inside_a_callback_stops_the_operation
    @ctx.attach("x", proc { @iso.terminate; 1 })
    assert_raises(RustyRacer::ScriptTerminatedError) { @ctx.eval(CATCH_AND_GO_ON) }
    assert_stopped_at_once
  end

  def test_terminate_from_inside_a_getter_during_marshalling
    @ctx.attach("stop", proc { @iso.terminate; 1 })
    assert_raises(RustyRacer::ScriptTerminatedError) do
      @ctx.eval("({ get a() { stop(); cnt(); return 1 }, b: 2 })")
    end
    assert_stopped_at_once
  end

  def test_a_standard_error_stays_catchable
    @ctx.attach("x", proc { raise ArgumentError, "boom" })
    assert_equal "ran on", @ctx.eval(CATCH_AND_GO_ON)
    assert_equal 6, @calls
  end
end
