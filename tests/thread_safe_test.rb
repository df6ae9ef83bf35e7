# frozen_string_literal: true

require_relative "test_helper"
require "timeout"

# Isolate.new(thread_safe: true): any thread, one at a time.
class ThreadSafeTest < RustyRacerTest
  def shared_context
    isolate(thread_safe: true).context
  end

  def test_any_thread_uses_the_isolate_and_what_it_hands_out
    iso = isolate(thread_safe: true)
    ctx = Thread.new { iso.context }.value
    Thread.new { ctx.eval("function twice(x) { return x * 2 }") }.join
    script = Thread.new { ctx.compile("twice(21)") }.value
    fn = Thread.new { ctx.eval("twice") }.value
    assert_equal [42, 42, 8, 8], [
      Thread.new { ctx.call("twice", 21) }.value,
      Thread.new { script.run }.value,
      Thread.new { fn.call(4) }.value,
      Thread.new { fn.to_proc.call(4) }.value,
    ]
    other = Thread.new { iso.create_context }.value
    assert_equal 1, Thread.new { other.eval("globalThis.twice === undefined ? 1 : 0") }.value
    assert_kind_of Hash, Thread.new { iso.heap_statistics }.value
  end

  def test_operations_never_overlap
    ctx = shared_context
    ctx.eval("globalThis.n = 0; function bump() { const m = n; for (let i = 0; i < 1e4; i++); n = m + 1 }")
    threads = 4.times.map { Thread.new { 50.times { ctx.call_void("bump") } } }
    threads.each(&:join)
    assert_equal 200, ctx.eval("n")
  end

  def test_callbacks_take_the_gvl_while_other_threads_wait_for_the_turn
    # Each thread's JS calls back into Ruby, which hands the GVL to the
    # other thread; that one waits for the isolate's turn without the GVL,
    # so the callback always gets the GVL back. A waiter holding the GVL
    # would deadlock here.
    out, status = run_child(<<~RUBY, timeout: 60)
      ctx = RustyRacer::Isolate.new(thread_safe: true).context
      ctx.attach("yieldToOthers", ->(i) { Thread.pass; sleep 0.001 if i % 10 == 0; i })
      ctx.eval("function spin(k) { let s = 0; for (let i = 0; i < 20; i++) s += yieldToOthers(i); return s + k }")
      sums = 2.times.map { |k| Thread.new { 30.times.map { ctx.call("spin", k) }.uniq } }.map(&:value)
      p sums
    RUBY
    assert_predicate status, :success?, out
    assert_equal "[[190], [191]]\n", out
  end

  def test_two_threads_each_in_a_callback_that_needs_the_others_isolate
    # Thread A holds isolate 1 and, in a callback, needs isolate 2; thread B
    # holds isolate 2 and, in a callback, needs isolate 1. Waiting would
    # never end: the second to wait is refused, and the other finishes.
    out, status = run_child(<<~RUBY, timeout: 60)
      one = RustyRacer::Isolate.new(thread_safe: true).context
      two = RustyRacer::Isolate.new(thread_safe: true).context
      both = Queue.new
      arrived = Queue.new
      [[one, two], [two, one]].each do |mine, theirs|
        mine.attach("needOther", -> { arrived << 1; both.pop; theirs.eval("'other done'") })
      end
      threads = [one, two].map { |ctx| Thread.new { ctx.eval("needOther()") rescue $! } }
      2.times { arrived.pop }
      2.times { both << 1 }
      results = threads.map(&:value)
      p results.count("other done")
      p results.grep(RustyRacer::Error).map(&:message)
      p [one.eval("1"), two.eval("2")]
    RUBY
    assert_predicate status, :success?, out
    lines = out.lines
    assert_equal "1\n", lines[0], out
    assert_match(/\A\["deadlock: the thread-safe isolate is held by a thread that is waiting for an isolate this thread holds .*"\]\n\z/, lines[1])
    assert_equal "[1, 2]\n", lines[2]
  end

  def test_a_long_callback_does_not_block_waiters_from_being_interrupted
    ctx = shared_context
    started = Queue.new
    release = Queue.new
    ctx.attach("hold", -> { started << 1; release.pop; 1 })
    holder = Thread.new { ctx.eval("hold() + 1") }
    started.pop
    waiter = Thread.new { ctx.eval("3") }
    waiter.report_on_exception = false
    sleep 0.05 until waiter.status == "sleep"
    waiter.raise(Interrupt, "stop waiting")
    assert_raises(Interrupt) { waiter.join(5) || flunk("the waiting thread did not take the interrupt") }
    killed = Thread.new { ctx.eval("4") }
    sleep 0.05 until killed.status == "sleep"
    killed.kill
    assert killed.join(5), "a killed waiter ends"
    release << 1
    assert_equal 2, holder.value
    assert_equal 5, Thread.new { ctx.eval("5") }.value
  end

  def test_timeout_covers_the_operation_not_the_wait_and_stops_the_right_thread
    ctx = shared_context
    ctx.eval("function spin() { for (;;) {} }")
    runner = Thread.new do
      ctx.eval("spin()", timeout_ms: 300)
    rescue RustyRacer::ScriptTerminatedError => e
      e
    end
    sleep 0.05
    assert_equal 7, Thread.new { ctx.eval("7", timeout_ms: 100) }.value, "the wait for the turn is not under the timeout"
    assert_match(/timed out after 300 ms in spin/, runner.value.message)
    assert_raises(Timeout::Error) { Timeout.timeout(0.1) { ctx.eval("spin()") } }
    assert_equal 8, ctx.eval("8")
  end

  def test_nested_operations_stay_on_the_thread_that_holds_the_turn
    ctx = shared_context
    ctx.attach("again", ->(src) { ctx.eval(src) })
    assert_equal [6, 7], 2.times.map { |i| Thread.new { ctx.eval("again('2 * 3') + #{i}") }.value }
    e = Thread.new { ctx.eval("function f(n) { return n == 0 ? 0 : 1 + f(n - 1) }; f(1e7)") rescue $! }.value
    assert_kind_of RustyRacer::RuntimeError, e
    assert_equal "RangeError: Maximum call stack size exceeded", e.message
  end

  def test_dispose_from_another_thread_stops_the_operation_and_releases_the_isolate
    live = RustyRacer.live_isolate_count
    iso = RustyRacer::Isolate.new(thread_safe: true)
    ctx = iso.context
    runner = Thread.new { ctx.eval("for (;;) {}") rescue $! }
    sleep 0.2
    waiters = 2.times.map { Thread.new { ctx.eval("1") rescue $! } }
    sleep 0.05 until waiters.all? { |t| t.status == "sleep" } # waiting for the turn
    Thread.new { iso.dispose }.join
    assert_kind_of RustyRacer::ScriptTerminatedError, runner.value
    waiters.each { |t| assert_kind_of RustyRacer::DisposedError, t.value }
    assert iso.disposed?
    assert_equal live, RustyRacer.live_isolate_count, "the last thread out released V8's isolate"
    assert_raises(RustyRacer::DisposedError) { Thread.new { Thread.current.report_on_exception = false; ctx.eval("1") }.join }
  end

  def test_a_thread_that_keeps_coming_back_does_not_starve_a_waiter
    ctx = shared_context
    done = false
    evals = 0
    busy = Thread.new do
      until done
        ctx.eval("1")
        evals += 1
      end
    end
    sleep 0.05 until evals > 10
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_equal 2, Thread.new { ctx.eval("2") }.value
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0, :<, 2, "the waiter got its turn"
  ensure
    done = true
    busy&.join
  end

  def test_dispose_inside_its_own_callback_is_refused
    iso = isolate(thread_safe: true)
    ctx = iso.context
    ctx.attach("disposeMe", -> { iso.dispose })
    e = assert_raises(RustyRacer::Error) { ctx.eval("disposeMe()") }
    assert_match(/cannot dispose an isolate while one of its operations is running/, e.message)
    assert_equal 2, ctx.eval("2")
  end

  def test_confined_stays_the_default
    ctx = context
    e = Thread.new { ctx.eval("1") rescue $! }.value
    assert_kind_of RustyRacer::WrongThreadError, e
    assert_match(/thread_safe: true/, e.message)
  end

  def test_many_threads_under_gc_stress
    ctx = shared_context
    ctx.attach("echo", ->(x) { x })
    GC.stress = true
    results = 3.times.map { |i| Thread.new { 3.times.map { ctx.eval("echo({a: [#{i}, 'x']})") } } }.map(&:value)
    GC.stress = false
    assert_equal 3.times.map { |i| [{ "a" => [i, "x"] }] * 3 }, results
  ensure
    GC.stress = false
  end
end
