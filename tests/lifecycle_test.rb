# frozen_string_literal: true

require_relative "test_helper"

class LifecycleTest < RustyRacerTest
  def test_dispose_is_idempotent_and_later_use_raises
    iso = RustyRacer::Isolate.new
    ctx = iso.context
    live = RustyRacer.live_isolate_count
    iso.dispose
    iso.dispose
    assert iso.disposed?
    assert_equal live - 1, RustyRacer.live_isolate_count
    e = assert_raises(RustyRacer::DisposedError) { ctx.eval("1") }
    assert_equal "RustyRacer::Context#eval: this Context (or its Isolate) has been disposed", e.message
    e = assert_raises(RustyRacer::DisposedError) { iso.context }
    assert_equal "RustyRacer::Isolate#context: this Isolate has been disposed", e.message
    assert_nil iso.terminate
  end

  def test_several_isolates_alternate_and_dispose_in_any_order
    isolates = 4.times.map { |i| RustyRacer::Isolate.new.tap { |iso| iso.context.eval("var who = #{i}") } }
    3.times { isolates.each_with_index { |iso, i| assert_equal i, iso.context.eval("who") } }
    isolates[1].dispose
    isolates[0].dispose
    assert_equal 3, isolates[3].context.eval("who")
    isolates[3].dispose
    assert_equal 2, isolates[2].context.eval("who")
    isolates[2].dispose
  end

  def test_dropped_isolates_are_released_by_gc
    # In a child: Ruby's GC scans stacks conservatively, and a stale word
    # left by earlier tests (Fibers in particular) can keep an isolate of
    # this loop alive by chance.
    out, status = run_child(<<~'RUBY')
      1000.times { RustyRacer::Isolate.new }
      GC.start
      puts RustyRacer.live_isolate_count, RustyRacer.leaked_isolate_count
    RUBY
    assert_predicate status, :success?, out
    assert_equal %w[0 0], out.lines.map(&:chomp)
  end

  def test_isolate_collected_after_its_owner_thread_ended
    GC.start
    baseline = RustyRacer.live_isolate_count
    Thread.new { RustyRacer::Isolate.new.context.eval("1 + 1") }.join
    GC.start
    assert_equal baseline, RustyRacer.live_isolate_count
    assert_equal 0, RustyRacer.leaked_isolate_count
  end

  def test_isolate_collected_while_another_runs_js
    ctx = context
    GC.start
    baseline = RustyRacer.live_isolate_count
    waiting = nil
    ctx.attach("churn", lambda {
      50.times { RustyRacer::Isolate.new.context.eval("1") }
      GC.start
      waiting = RustyRacer.leaked_isolate_count
      1
    })
    assert_equal 1, ctx.eval("churn()")
    assert_operator waiting, :>, 0, "isolates collected inside an operation wait for it to end"
    assert_equal 0, RustyRacer.leaked_isolate_count, "released when the operation finished"
    GC.start
    assert_equal baseline, RustyRacer.live_isolate_count
    assert_equal 2, ctx.eval("2")
  end

  def test_isolate_new_validates_its_options
    e = assert_raises(ArgumentError) { RustyRacer::Isolate.new(microtasks: :sometimes) }
    assert_equal "RustyRacer::Isolate.new: microtasks must be one of :auto, :explicit (got :sometimes)", e.message
    assert_raises(ArgumentError) { RustyRacer::Isolate.new(memory_limit: -1) }
    assert_raises(ArgumentError) { RustyRacer::Isolate.new(host_namespace: "not a path") }
    assert_raises(TypeError) { RustyRacer::Context.allocate }
  end

end
