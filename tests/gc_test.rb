# frozen_string_literal: true

require_relative "test_helper"

# Every Ruby value the extension holds must be marked: under GC.stress a GC
# runs at every allocation, so an unmarked value is freed at once.
class GcTest < RustyRacerTest
  def test_marshalling_callbacks_and_errors_under_gc_stress
    iso = RustyRacer::Isolate.new # created under stress too: its arrays must survive
    ctx = iso.context
    GC.stress = true
    ctx.attach("cb", ->(x) { { "got" => x, "list" => [x, x.to_s * 2] } })
    ctx.attach("fail", -> { raise ArgumentError, "nope" })
    ctx.eval("function id(x) { return x }")
    8.times do |i|
      assert_equal({ "a" => [1, "two", { "b" => nil }], "c" => { "got" => i, "list" => [i, i.to_s * 2] } },
                   ctx.eval("({a: [1, 'two', {b: null}], c: cb(#{i})})"))
      assert_equal({ "k" => [i, "s", 1.5, nil] }, ctx.call("id", { "k" => [i, "s", 1.5, nil] }))
      assert_raises(ArgumentError) { ctx.eval("fail()") }
    end
  ensure
    GC.stress = false
    iso&.dispose
  end

  def test_callback_errors_under_gc_stress_with_the_gvl_released
    ctx = context
    ctx.attach("fail", -> { raise ArgumentError, "nope" * 10 })
    ctx.attach("leave", -> { throw :out, 1 })
    other = Thread.new { loop { Array.new(50) { "x" * 10 }; Thread.pass } } # so JS runs without the GVL
    GC.stress = true
    3.times do
      assert_equal "nope" * 10, ctx.eval("try { fail() } catch (e) { e.message }")
      e = assert_raises(ArgumentError) { ctx.eval("fail()") }
      assert_equal "nope" * 10, e.message
      assert_equal 1, catch(:out) { ctx.eval("leave()") }
    end
  ensure
    GC.stress = false
    other&.kill
  end

  def test_fibers_stops_and_non_local_exits_under_gc_stress
    iso = RustyRacer::Isolate.new
    ctx = iso.context
    ctx.attach("pause", proc { |x| Fiber.yield(x) + 1 })
    ctx.attach("leave", proc { throw :out, 7 })
    GC.stress = true
    fiber = Fiber.new { ctx.eval("[pause('a'), 'x'.repeat(3)]") }
    assert_equal "a", fiber.resume
    assert_equal [2, "xxx"], fiber.resume(1)
    assert_equal 7, catch(:out) { ctx.eval("try { leave() } catch (e) { 'caught' }") }
    error = assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval("function spin() { for (;;) {} }; spin()", timeout_ms: 20) }
    assert_match(/in spin/, error.message)
    assert_equal ["spin (<eval>:1:19)"], error.js_backtrace.first(1)
    assert_kind_of Hash, iso.heap_statistics
  ensure
    GC.stress = false
    iso&.dispose
  end

  def test_everything_survives_gc_compact
    ctx = context
    ctx.attach("greet", ->(n) { "hi #{n}" })
    ctx.eval("var kept = {list: [1, 2]}")
    GC.start
    GC.compact
    # Moves every object that can move, then checks all references.
    GC.verify_compaction_references(toward: :empty, double_heap: true)
    assert_equal "hi js", ctx.eval("greet('js')")
    assert_raises(RustyRacer::RuntimeError) { ctx.eval("throw new Error('after compaction')") }
    assert_equal({ "list" => [1, 2] }, ctx.eval("kept"))
  end
end
