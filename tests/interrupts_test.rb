# frozen_string_literal: true

require_relative "test_helper"
require "timeout"

# Ruby's interrupts aimed at a thread running JS.
class RubyInterruptsTest < RustyRacerTest
  SPIN_300_MS = "{ const t = Date.now(); while (Date.now() - t < 300) {} } 'finished'"

  # Runs the block in a new thread that owns a fresh context; returns the
  # thread once the context exists.
  def owner_thread(&block)
    ready = Queue.new
    thread = Thread.new do
      Thread.current.report_on_exception = false
      ctx = RustyRacer::Isolate.new.context
      ready << true
      block.call(ctx)
    end
    ready.pop
    thread
  end

  def test_thread_raise_stops_the_js_and_is_delivered
    thread = owner_thread do |ctx|
      ctx.eval("for (;;) {}")
    rescue RuntimeError => e
      [e.message, ctx.eval("1 + 1")]
    end
    sleep 0.1
    thread.raise("stop it")
    assert_equal ["stop it", 2], thread.value
  end

  def test_handle_interrupt_never_defers_thread_raise_until_the_block_ends
    thread = owner_thread do |ctx|
      log = []
      begin
        Thread.handle_interrupt(RuntimeError => :never) { log << ctx.eval(SPIN_300_MS) }
      rescue RuntimeError => e
        log << "raised after: #{e.message}"
      end
      log
    end
    sleep 0.1
    thread.raise("boom")
    assert_equal ["finished", "raised after: boom"], thread.value
  end

  # An exception that is not a StandardError (Interrupt here; Timeout and
  # Thread#kill alike) stops the JS. (A StandardError that lands inside a
  # callback cannot be told from one the callback raised: JS may catch it.)
  def test_thread_raise_while_a_callback_runs_unwinds_the_js_first
    calls = 0
    thread = owner_thread do |ctx|
      ctx.attach("wait", proc { sleep 2 })
      ctx.attach("count", proc { calls += 1 })
      begin
        ctx.eval("try { wait() } catch (e) { count() }; count(); 'went on'")
      rescue Interrupt => e
        [e.message, ctx.eval("1 + 1")]
      end
    end
    sleep 0.2
    thread.raise(Interrupt, "interrupted")
    assert_equal ["interrupted", 2], thread.value
    assert_equal 0, calls
  end

  def test_a_thread_made_inside_a_callback_runs_while_the_js_loops
    iso = isolate
    ctx = iso.context
    # No other Ruby thread exists when the eval starts, so it keeps the GVL;
    # the thread made by the callback must still get to run and stop it.
    ctx.attach("spawn", proc { Thread.new { sleep 0.2; iso.terminate }; nil })
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval("spawn(); for (;;) {}") }
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 3
  end

  def test_timeout_inside_a_callback_that_evals_again
    ctx = context
    ctx.attach("again", proc { ctx.eval("for (;;) {}") })
    assert_raises(Timeout::Error) { Timeout.timeout(0.2) { ctx.eval("again()") } }
    assert_equal 2, ctx.eval("1 + 1")
  end
end
