# frozen_string_literal: true

require_relative "test_helper"
require "timeout"

class ThreadsTest < RustyRacerTest
  OWNER_ONLY = {
    "Isolate#context" => ->(iso, _ctx) { iso.context },
    "Isolate#perform_microtask_checkpoint" => ->(iso, _ctx) { iso.perform_microtask_checkpoint },
    "Isolate#heap_statistics" => ->(iso, _ctx) { iso.heap_statistics },
    "Isolate#low_memory_notification" => ->(iso, _ctx) { iso.low_memory_notification },
    "Isolate#pump_message_loop" => ->(iso, _ctx) { iso.pump_message_loop },
    "Isolate#write_heap_snapshot" => ->(iso, _ctx) { iso.write_heap_snapshot("/dev/null") },
    "Context#eval" => ->(_iso, ctx) { ctx.eval("1") },
    "Context#eval_void" => ->(_iso, ctx) { ctx.eval_void("1") },
    "Context#call" => ->(_iso, ctx) { ctx.call("f") },
    "Context#call_void" => ->(_iso, ctx) { ctx.call_void("f") },
    "Context#attach" => ->(_iso, ctx) { ctx.attach("g", -> {}) },
    "Context#attach_many" => ->(_iso, ctx) { ctx.attach_many("g" => -> {}) },
    "Context#id" => ->(_iso, ctx) { ctx.id },
  }.freeze

  def test_every_owner_method_refuses_other_threads
    iso = isolate
    ctx = iso.context
    OWNER_ONLY.each do |name, op|
      e = on_other_thread { op.call(iso, ctx) }
      assert_kind_of RustyRacer::WrongThreadError, e, name
      assert_match(/\ARustyRacer::#{name.sub("#", "#")}: called from a thread that does not own it/, e.message)
      assert_match(/confined to the thread that created the isolate/, e.message)
      assert_match(/only Isolate#terminate, Isolate#dispose, Isolate#disposed\? may be called from any thread/, e.message)
    end
    refute iso.disposed?
    assert_equal 1, ctx.eval("1")
  end

  def test_terminate_from_another_thread
    iso = isolate
    ctx = iso.context
    killer = Thread.new { sleep 0.1; iso.terminate }
    e = assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval("for (;;) {}") }
    killer.join
    assert_equal "JavaScript was terminated in <eval>:1:1", e.message
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_terminate_while_idle_does_not_poison_the_next_operation
    iso = isolate
    iso.terminate
    on_other_thread { iso.terminate }
    assert_equal 3, iso.context.eval("1 + 2")
  end

  def test_timeouts_per_isolate_and_per_eval
    ctx = context(timeout_ms: 100)
    e = assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval("for (;;) {}") }
    assert_equal "JavaScript timed out after 100 ms in <eval>:1:1", e.message
    e = assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval("for (;;) {}", timeout_ms: 30) }
    assert_equal "JavaScript timed out after 30 ms in <eval>:1:1", e.message
    ctx.eval("function spin() { for (;;) {} }")
    assert_raises(RustyRacer::ScriptTerminatedError) { ctx.call("spin") }
    assert_equal 4, ctx.eval("2 + 2"), "usable after timeouts"
  end

  def test_other_ruby_threads_run_during_a_long_eval
    ctx = context
    ticks = 0
    ticker = Thread.new { loop { ticks += 1; sleep 0.005 } }
    ctx.eval("const end = Date.now() + 200; while (Date.now() < end) {}")
    ticker.kill
    assert_operator ticks, :>=, 10, "the GVL was released while JS ran"
  end

  def test_timeout_and_thread_kill_stop_js
    ctx = context
    assert_raises(Timeout::Error) { Timeout.timeout(0.1) { ctx.eval("for (;;) {}") } }
    assert_equal 5, ctx.eval("2 + 3")
    runner = Thread.new { ctx.eval("for (;;) {}") rescue nil }
    sleep 0.05
    runner.kill
    assert runner.join(5), "Thread#kill stopped the JS"
  end

  def test_an_isolate_per_thread
    results = 4.times.map do |i|
      Thread.new { RustyRacer::Isolate.new.tap { |iso| iso.context.eval("var v = #{i}") }.context.eval("v * 10") }
    end.map(&:value)
    assert_equal [0, 10, 20, 30], results
  end

  def test_any_thread_methods
    iso = isolate
    assert_equal false, on_other_thread { iso.disposed? }
    assert_nil on_other_thread { iso.terminate }
  end

  def test_callbacks_run_with_the_gvl
    ctx = context
    ctx.attach("threadName", -> { Thread.current.name })
    Thread.current.name = "owner"
    assert_equal "owner", ctx.eval("threadName()")
  end

  # Between operations an isolate keeps V8's state of its thread parked
  # there; isolates interleaved on one thread, and released after that
  # thread ended (by dispose or by GC), must not notice.
  def test_isolates_interleaved_on_a_thread_then_released_after_it_ended
    live = RustyRacer.live_isolate_count
    kept = Thread.new do
      isos = Array.new(3) { |i| RustyRacer::Isolate.new.tap { |iso| iso.context.eval("var xs = [#{i}]") } }
      20.times { |n| isos.each { |iso| iso.context.eval("xs.push(#{n})") } }
      assert_equal [[0, 19], [1, 19], [2, 19]], isos.map { |iso| iso.context.eval("[xs[0], xs.at(-1)]") }
      depths = isos.map { |iso| iso.context.eval("let d = 0; function f() { d++; f() } try { f() } catch (e) { d }") }
      assert depths.all? { |d| d > 1000 }, depths.inspect
      3.times { RustyRacer::Isolate.new.context.eval("1") } # left to the GC
      isos.take(2) # the third is left to the GC too
    end.value
    kept.each(&:dispose)
    4.times { GC.start }
    assert kept.all?(&:disposed?)
    assert_operator RustyRacer.live_isolate_count, :<=, live + 1
    assert_equal 3, RustyRacer::Isolate.new.context.eval("1 + 2")
  end
end

class SignalTest < RustyRacerTest
  def test_sigint_stops_running_js_and_the_isolate_survives
    assert_equal ["interrupted\n", "2\n"], interrupted_child_output("for (;;) {}")
  end
end
