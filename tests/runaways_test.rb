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

# Deep recursion is a JS RangeError, never a crash.
class DeepRecursionTest < RustyRacerTest
  def test_deep_recursion_raises_a_range_error_however_it_is_entered
    # In a child: a stack limit V8 gets wrong is a SIGSEGV.
    out, status = run_child(<<~'RUBY', timeout: 60)
      ctx = RustyRacer::Isolate.new.context
      def report(name, ctx)
        puts "#{name}: returned #{yield.inspect}"
      rescue RustyRacer::RuntimeError => e
        puts "#{name}: #{e.class} #{e.message} / #{ctx.eval("6 * 7")}"
      end
      report("plain", ctx) { ctx.eval("function down(n) { return down(n + 1) }; down(0)") }
      caught = ctx.eval("function down2(n) { return down2(n + 1) }; try { down2(0) } catch (e) { e instanceof RangeError }")
      puts "caught in JS: #{caught}"
      def deep(n, &blk) = n.zero? ? blk.call : deep(n - 1, &blk)
      report("under 1500 Ruby frames", ctx) { deep(1500) { ctx.eval("function d3(n) { return d3(n + 1) }; d3(0)") } }
      ctx.attach("viaCall", proc { |n| ctx.call("viaRuby", n) })
      ctx.eval("function viaRuby(n) { return n <= 0 ? 0 : 1 + viaCall(n - 1) }")
      report("through callbacks (call)", ctx) { ctx.call("viaRuby", 100_000) }
      ctx.attach("viaEval", proc { |n| ctx.eval("viaRuby2(#{n})") })
      ctx.eval("function viaRuby2(n) { return n <= 0 ? 0 : 1 + viaEval(n - 1) }")
      report("through callbacks (eval)", ctx) { ctx.call("viaRuby2", 100_000) }
    RUBY
    assert_predicate status, :success?, out
    range_error = "RustyRacer::RuntimeError RangeError: Maximum call stack size exceeded / 42"
    assert_equal ["plain: #{range_error}", "caught in JS: true", "under 1500 Ruby frames: #{range_error}",
                  "through callbacks (call): #{range_error}", "through callbacks (eval): #{range_error}"],
                 out.lines.map(&:chomp)
  end
end
