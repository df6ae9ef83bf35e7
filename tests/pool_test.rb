# frozen_string_literal: true

require_relative "test_helper"

class PoolTest < RustyRacerTest
  def pool(**kw, &setup)
    setup ||= ->(ctx) { ctx.eval("function render(p) { return `<b>${p.name}</b>` }") }
    RustyRacer::Pool.new(size: kw.delete(:size) || 2, **kw, &setup).tap { |p| (@pools ||= []) << p }
  end

  def teardown
    (@pools || []).each(&:shutdown)
    super
  end

  def test_hands_out_warm_contexts_to_many_threads
    p = pool(timeout_ms: 1000)
    assert_equal 2, p.available
    renders = 4.times.map { |i| Thread.new { 25.times.map { p.with { |ctx| ctx.call("render", { "name" => i }) } } } }
    assert_equal 4.times.map { |i| ["<b>#{i}</b>"] * 25 }, renders.map(&:value)
    assert_equal 2, p.available
  end

  def test_a_thread_has_its_context_to_itself_for_the_block
    p = pool
    seen = Queue.new
    threads = 2.times.map do
      Thread.new do
        p.with do |ctx|
          ctx.eval("globalThis.mine = Math.random()")
          mine = ctx.eval("mine")
          sleep 0.05 # the other thread holds the other context meanwhile
          seen << (ctx.eval("mine") == mine)
        end
      end
    end
    threads.each(&:join)
    assert_equal [true, true], [seen.pop, seen.pop]
  end

  def test_checkout_timeout
    p = pool(checkout_timeout: 0.05)
    held = Queue.new
    done = Queue.new
    holders = 2.times.map { Thread.new { p.with { held << 1; done.pop } } }
    2.times { held.pop }
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    e = assert_raises(RustyRacer::Pool::TimeoutError) { p.with { flunk "no context was free" } }
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0, :>=, 0.05
    assert_kind_of RustyRacer::Error, e
    assert_match(/no context came free within 0.05 s \(all 2 in use\)/, e.message)
    2.times { done << 1 }
    holders.each(&:join)
    assert_equal 3, p.with(timeout: 1) { |ctx| ctx.eval("1 + 2") }
  end

  def test_without_reset_state_persists_and_with_reset_it_does_not
    kept = pool(size: 1)
    kept.with { |ctx| ctx.eval("globalThis.leak = 1") }
    assert_equal 1, kept.with { |ctx| ctx.eval("globalThis.leak") }

    fresh = pool(size: 1, reset: true) { |ctx| ctx.eval("function render(p) { return p }"); ctx.attach("host", -> { 7 }) }
    fresh.with { |ctx| ctx.eval("globalThis.leak = 1") }
    3.times do
      got = fresh.with { |ctx| [ctx.eval("typeof leak"), ctx.eval("host()"), ctx.call("render", 5)] }
      assert_equal ["undefined", 7, 5], got, "reset, then set up again"
    end
  end

  def test_a_context_that_cannot_be_renewed_is_made_again
    calls = 0
    failing = [2, 3] # the setup after the first reset fails, and so does its replacement
    p = pool(size: 1, reset: true) do |ctx|
      calls += 1
      raise "setup #{calls} failed" if failing.include?(calls)

      ctx.eval("globalThis.made = #{calls}")
    end
    assert_equal 1, p.with { |ctx| ctx.eval("made") }
    assert_equal 0, p.available, "the slot is missing until a checkout makes it again"
    assert_equal 4, p.with { |ctx| ctx.eval("made") }
    assert_equal 1, p.available
  end

  def test_interrupts_never_lose_a_context
    require "timeout"
    p = pool(size: 1, reset: true)
    assert_raises(Timeout::Error) { Timeout.timeout(0.05) { p.with { sleep 1 } } }
    assert_equal 1, p.available
    inside = Queue.new
    victim = Thread.new { p.with { inside << 1; sleep } }
    inside.pop
    waiter = Thread.new { p.with(timeout: 5) { |ctx| ctx.call("render", { "name" => "w" }) } }
    sleep 0.05 until waiter.status == "sleep"
    interrupted = Thread.new { p.with(timeout: 5) { flunk "interrupted while waiting" } }
    sleep 0.05 until interrupted.status == "sleep"
    interrupted.kill.join
    victim.kill.join # killed inside the block: its context is reset and comes back
    assert_equal "<b>w</b>", waiter.value
    assert_equal 1, p.available
    assert_equal "<b>x</b>", p.with { |ctx| ctx.call("render", { "name" => "x" }) }
  end

  def test_setup_errors_and_shutdown
    e = assert_raises(RustyRacer::RuntimeError) { RustyRacer::Pool.new(size: 2) { |ctx| ctx.eval("throw new Error('bad setup')") } }
    assert_equal "Error: bad setup", e.message
    assert_raises(ArgumentError) { RustyRacer::Pool.new(size: 0) }
    assert_raises(ArgumentError) { RustyRacer::Pool.new(size: 1, checkout_timeout: -1) }
    assert_raises(ArgumentError) { RustyRacer::Pool.new(size: 1, no_such_option: 1) }
    p = pool
    assert_raises(ArgumentError) { p.with }
    p.shutdown
    assert p.shutdown?
    assert_raises(RustyRacer::DisposedError) { p.with { flunk } }
  end

  def test_errors_in_the_block_propagate_and_the_context_comes_back
    p = pool
    assert_raises(RustyRacer::RuntimeError) { p.with { |ctx| ctx.eval("null.x") } }
    assert_raises(KeyError) { p.with { raise KeyError } }
    assert_equal 2, p.available
    assert_equal "<b>ok</b>", p.with { |ctx| ctx.call("render", { "name" => "ok" }) }
  end
end
