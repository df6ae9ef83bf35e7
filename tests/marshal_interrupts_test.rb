# frozen_string_literal: true

require "timeout"
require_relative "test_helper"

# Every way of stopping JS works while a result is being marshalled (the
# walk holds the GVL and may run getters), and the walk never overflows
# the machine stack, even entered near its end.
class MarshalInterruptsTest < RustyRacerTest
  LOOPING_GETTER = "({get x() { while (true) {} }})"

  def elapsed
    t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    yield
    Process.clock_gettime(Process::CLOCK_MONOTONIC) - t
  end

  def test_terminate_from_another_thread_stops_a_getter_that_loops_while_a_result_is_read
    iso = isolate
    ctx = iso.context
    stopper = Thread.new { sleep 0.2; iso.terminate }
    took = elapsed { assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval(LOOPING_GETTER) } }
    stopper.join
    assert_operator took, :<, 5
    assert_equal 2, ctx.eval("1 + 1"), "usable afterwards"
  end

  def test_timeout_stops_a_getter_that_loops_while_a_result_is_read
    ctx = context
    took = elapsed { assert_raises(Timeout::Error) { Timeout.timeout(0.2) { ctx.eval(LOOPING_GETTER) } } }
    assert_operator took, :<, 5
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_other_threads_run_while_a_getter_loops_with_the_gvl_held
    ctx = context(timeout_ms: 800)
    ticks = 0
    ticker = Thread.new { loop { ticks += 1; sleep 0.01 } }
    sleep 0.05
    before = ticks
    assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval(LOOPING_GETTER) }
    during = ticks - before
    ticker.kill
    # Ruby hands the GVL over at most every 100 ms: a few ticks in 800 ms.
    assert_operator during, :>=, 2, "the other thread ran while the getter looped"
  end

  # Large arrays and Sets of strings convert inside V8's Array::Iterate,
  # where no Ruby code may run: it pauses for Ruby's interrupts and for
  # other threads' turns, and goes on (or raises) after.
  def test_thread_raise_and_other_threads_get_in_while_large_string_containers_convert
    ctx = context
    ctx.eval_void("globalThis.words = Array.from({length: 3e6}, (_, i) => 's' + i); globalThis.big = new Set(words)")
    %w[words big].each do |name|
      # The raiser is ready to run at once: it raises at its first turn.
      go = false
      raiser = Thread.new { Thread.pass until go; Thread.main.raise(Interrupt) }
      took = elapsed { assert_raises(Interrupt) { go = true; ctx.eval(name) } }
      raiser.join
      assert_operator took, :<, 0.4, "#{name}: Thread#raise waited #{took.round(2)} s"
      ticks = 0
      ticker = Thread.new { loop { ticks += 1; sleep 0.01 } }
      sleep 0.05
      before = ticks
      got = ctx.eval(name)
      during = ticks - before
      ticker.kill.join
      assert_equal 3_000_000, got.size
      assert_equal "s2999999", got.to_a.last
      assert_operator during, :>=, 1, "#{name}: another thread ran #{during} times during the conversion"
    end
  end

  # An array with an element getter is read by V8's slow path, which
  # starts from index 0 at every iteration: a read that pauses for other
  # threads' turns goes on by index instead, so each getter runs once.
  def test_a_paused_read_of_an_array_with_getters_runs_each_getter_once
    ctx = context
    ctx.eval_void(<<~JS)
      globalThis.reads = 0;
      globalThis.slow = Array.from({length: 3e6}, (_, i) => i);
      Object.defineProperty(slow, 0, {get() { reads++; return -1 }, enumerable: true});
    JS
    ticks = 0
    ticker = Thread.new { loop { ticks += 1; sleep 0.01 } }
    sleep 0.05
    before = ticks
    got = ctx.eval("slow")
    during = ticks - before
    ticker.kill.join
    assert_equal [3_000_000, -1, 2_999_999], [got.size, got.first, got.last]
    assert_operator during, :>=, 1, "another thread ran #{during} times during the conversion"
    assert_equal 1, ctx.eval("reads"), "the getter ran once"
  end

  def test_a_callback_entered_near_the_end_of_the_stack_marshals_or_raises_but_never_crashes
    ctx = context
    ctx.attach("take", ->(v) { depth = 0; depth += 1 while (v = v.is_a?(Array) ? v.first : nil); depth })
    ctx.attach("give", -> { (1..150).reduce([]) { |acc, _| [acc] } })
    ctx.eval(<<~JS)
      function nest(n) { let v = []; for (let i = 0; i < n; i++) v = [v]; return v }
      function viaTake(n) { try { return viaTake(n + 1) } catch (e) { return take(nest(150)) } }
      function viaGive(n) { try { return viaGive(n + 1) } catch (e) { return give().length } }
    JS
    %w[viaTake(0) viaGive(0)].each do |src|
      result = begin
        ctx.eval(src)
      rescue RustyRacer::Error => e
        e
      end
      assert(result.is_a?(Integer) || result.is_a?(RustyRacer::Error), "#{src}: #{result.inspect}")
    end
    assert_equal 150, ctx.eval("take(nest(150))") - 1 + 1, "usable afterwards, with the stack to spare"
  end

  def test_one_symbol_inside_a_large_object_does_not_fail_it
    ctx = context
    got = ctx.eval("const o = {}; for (let i = 0; i < 1000; i++) o['k' + i] = i; o.s = Symbol('x'); o")
    assert_equal 1001, got.size
    assert_equal "Symbol(x)", got["s"]
  end
end

class MarshalSignalTest < RustyRacerTest
  def test_ctrl_c_stops_a_getter_that_loops_while_a_result_is_read
    assert_equal ["interrupted\n", "2\n"], interrupted_child_output("({get x() { while (true) {} }})")
  end

  def test_an_enormous_sparse_array_raises_instead_of_exhausting_memory
    ctx = context
    e = assert_raises(RustyRacer::Error) { ctx.eval("const a = []; a.length = 2**32 - 1; a") }
    assert_match(/cannot marshal an array of 4294967295 elements to Ruby/, e.message)
    assert_nil ctx.eval_void("const b = []; b.length = 2**32 - 1; b"), "the _void variant never reads it"
    assert_equal 1, ctx.eval("1")
  end
end
