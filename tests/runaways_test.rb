# frozen_string_literal: true

require_relative "test_helper"

# Runaway scripts stop within their time limit, whatever the loop's shape.
class RunawayLoopsTest < RustyRacerTest
  # Turboshaft's loop unrolling used to drop the interrupt check from loops
  # like "allocating", which then ignored every way of stopping them; the
  # platform turns it off (see runtime/src/platform.rs).
  LOOPS = {
    plain: "while (true) {}",
    allocating: "{ const a = [0]; while (true) { a[0] = new Array(1000) } }",
    pushing: "{ const a = []; while (true) { a.push(new Array(10)); if (a.length > 1000) a.length = 0 } }",
    mutating: "{ const o = {x: 0}; while (true) { o.x++; o['k' + (o.x & 7)] = o.x } }",
    labelled: "outer: while (true) { for (let i = 0; i < 10; i++) { if (i > 100) break outer } }",
    nested: "for (;;) { for (let i = 0; i < 1e9; i++) { for (let j = 0; j < 3; j++) {} } }",
    for_await: "(async () => { for await (const x of (async function*() { while (true) yield 1 })()) {} })(); while (true) {}",
    generator: "{ function* g() { while (true) yield new Array(10) } for (const x of g()) {} }",
    for_each: "{ const a = new Array(100).fill(0); while (true) a.forEach((x, i) => { a[i] = x + 1 }) }",
  }.freeze

  def test_every_loop_shape_stops_at_its_timeout
    # In a child: a loop that is not stopped would hang the runner.
    out, status = run_child(<<~RUBY, timeout: 60)
      #{LOOPS.inspect}.each do |name, src|
        ctx = RustyRacer::Isolate.new.context
        t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
        begin
          ctx.eval(src, timeout_ms: 150)
          puts "\#{name} returned"
        rescue RustyRacer::ScriptTerminatedError
          took = Process.clock_gettime(Process::CLOCK_MONOTONIC) - t
          puts "\#{name} stopped \#{took < 2 ? "in time" : "after \#{took.round(1)} s"} \#{ctx.eval("6 * 7")}"
        end
      end
    RUBY
    assert_predicate status, :success?, out
    assert_equal LOOPS.keys.map { |k| "#{k} stopped in time 42" }, out.lines.map(&:chomp)
  end

  def test_terminate_from_another_thread_stops_an_allocating_loop
    iso = isolate
    ctx = iso.context
    stopper = Thread.new { sleep 0.2; iso.terminate }
    assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval(LOOPS[:allocating]) }
    stopper.join
    assert_equal 2, ctx.eval("1 + 1")
  end
end
