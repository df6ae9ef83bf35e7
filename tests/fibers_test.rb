# frozen_string_literal: true

require_relative "test_helper"

# JS inside Fibers and Enumerators of the main thread (V8 is told each
# Fiber's stack bounds); off the main thread a clear error.
class FibersTest < RustyRacerTest
  # How deep JS recursion gets on the stack in use.
  RECURSION_DEPTH = "(function down(n) { try { return down(n + 1) } catch (e) { return n } })(0)"

  def test_fiber_and_enumerator_on_the_main_thread
    ctx = context
    assert_equal 2, Fiber.new { ctx.eval("1 + 1") }.resume
    assert_equal [1, 4, 9], Enumerator.new { |y| 3.times { |i| y << ctx.call("Math.pow", i + 1, 2) } }.to_a
    enum = Enumerator.new { |y| loop { y << ctx.eval("globalThis.n = (globalThis.n || 0) + 1") } }
    assert_equal [1, 2, 3], [enum.next, enum.next, enum.next]
  end

  def test_from_inside_a_callback
    ctx = context
    ctx.attach("viaFiber", proc { |x| Fiber.new { ctx.eval("#{Integer(x)} * 2") }.resume })
    assert_equal 42, ctx.eval("viaFiber(21)")
  end

  def test_under_gc_pressure
    ctx = context
    total = Fiber.new do
      2000.times.sum { |i| ctx.eval("[#{i}, 'x'.repeat(100), {a: [1, 2, 3]}]").first }
    end.resume
    assert_equal 1999 * 2000 / 2, total
  end

  def test_deep_recursion_in_a_fiber_is_a_range_error
    ctx = context
    error = Fiber.new do
      ctx.eval("function down(n) { return down(n + 1) }; down(0)")
    rescue RustyRacer::RuntimeError => e
      e
    end.resume
    assert_match(/RangeError: Maximum call stack size exceeded/, error.message)
    assert_operator Fiber.new { ctx.eval(RECURSION_DEPTH) }.resume, :>, 100
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_the_js_stack_limit_follows_the_fiber_stack_size
    depth = lambda do |size|
      out, status = run_child("puts Fiber.new { RustyRacer::Isolate.new.context.eval(#{RECURSION_DEPTH.dump}) }.resume",
                              env: { "RUBY_FIBER_MACHINE_STACK_SIZE" => size.to_s })
      assert_predicate status, :success?, out
      Integer(out.lines.last)
    end
    small = depth.call(512 * 1024)
    large = depth.call(4 * 1024 * 1024)
    assert_operator large, :>, 3 * small, "4 MiB fiber: #{large} frames, 512 KiB: #{small}"
  end

  def test_fibers_taking_turns_each_get_their_own_bounds
    ctx = context
    fibers = 2.times.map do |k|
      Fiber.new do
        3.times { Fiber.yield ctx.eval(RECURSION_DEPTH) > 100 && ctx.eval("#{k} + 1") }
        :done
      end
    end
    turns = 3.times.flat_map { fibers.map(&:resume) }
    assert_equal [1, 2] * 3, turns
    assert_operator ctx.eval(RECURSION_DEPTH), :>, 1000 # the main thread's own limit again
  end

  def test_after_a_nested_operation_on_a_fiber_the_enclosing_limits_return
    ctx = context
    ctx.attach("nested", proc { Fiber.new { ctx.eval(RECURSION_DEPTH) }.resume })
    in_fiber, after = ctx.eval("[nested(), #{RECURSION_DEPTH}]")
    assert_operator in_fiber, :>, 100
    assert_operator after, :>, in_fiber, "the main stack's limit came back"
  end

  def test_a_callback_that_yields_out_of_its_fiber_resumes_later
    ctx = context
    ctx.attach("pause", proc { Fiber.yield(:paused) + 1 })
    fiber = Fiber.new { ctx.eval("Promise.resolve().then(() => globalThis.job = 'ran'); pause() * 10") }
    assert_equal :paused, fiber.resume
    # Other operations run meanwhile; jobs wait for the suspended one.
    assert_equal 2, ctx.eval("1 + 1")
    assert_nil ctx.eval("globalThis.job")
    assert_equal 50, fiber.resume(4)
    assert_equal "ran", ctx.eval("globalThis.job")
  end

  def test_resuming_inside_another_operation_raises_there_and_the_fiber_stays_suspended
    ctx = context
    ctx.attach("pause", proc { Fiber.yield(:paused); 5 })
    fiber = Fiber.new { ctx.eval("pause() + 1") }
    fiber.resume
    ctx.attach("resumeIt", proc { fiber.resume })
    message = ctx.eval("try { resumeIt(); 'went on' } catch (e) { e.message }")
    assert_match(/resumed inside another operation of the same isolate/, message)
    assert_equal 6, fiber.resume
  end

  def test_a_suspended_operation_never_resumed_is_counted_as_leaked
    out, status = run_child(<<~'RUBY')
      def suspend
        ctx = RustyRacer::Isolate.new.context
        ctx.attach("pause", proc { Fiber.yield })
        Fiber.new { ctx.eval("pause()") }.resume
        nil
      end
      suspend
      GC.start
      puts RustyRacer.leaked_isolate_count
      puts RustyRacer::Isolate.new.context.eval("6 * 7")
    RUBY
    assert_predicate status, :success?, out
    assert_equal %w[1 42], out.lines.map(&:chomp)
  end

  def test_off_the_main_thread_a_fiber_gets_a_clear_error
    error = Thread.new do
      ctx = RustyRacer::Isolate.new.context
      [Fiber.new { ctx.eval("1") rescue $! }.resume, ctx.eval("1")]
    end.value
    assert_kind_of RustyRacer::Error, error.first
    assert_match(/cannot run on a Fiber's stack off the main thread/, error.first.message)
    assert_equal 1, error.last
  end

  def test_an_operation_on_a_fiber_leaves_other_isolates_on_the_thread_stack
    a = context
    b = context
    b.eval("1")
    Fiber.new { a.eval("1") }.resume
    # V8 reads the stack bounds again (GC, throwing): the Fiber's no longer apply.
    assert_equal "caught", b.eval("try { throw 1 } catch (e) { 'caught' }")
    assert_raises(RustyRacer::RuntimeError) { b.eval("throw new Error('x')") }
    assert_equal 3, b.eval("new Array(1e5).fill(1).length && 3")
  end

  def test_resuming_inside_an_operation_of_another_isolate_raises_there
    a = context
    b = context
    a.attach("pause", proc { Fiber.yield(:paused); 5 })
    fiber = Fiber.new { a.eval("pause() + 1") }
    fiber.resume
    b.attach("resumeIt", proc { fiber.resume })
    assert_match(/resumed inside another operation/, b.eval("try { resumeIt(); 'went on' } catch (e) { e.message }"))
    assert_equal 6, fiber.resume
  end

  def test_deeply_nested_values_on_a_fiber_stack_raise_or_convert_but_never_crash
    out, status = run_child(<<~'RUBY')
      ctx = RustyRacer::Isolate.new.context
      r = Fiber.new do
        ctx.eval("let o = {}; let c = o; for (let i = 0; i < 9999; i++) { c.n = {}; c = c.n }; o").class
      rescue RustyRacer::Error => e
        e.class
      end.resume
      puts r, ctx.eval("6 * 7")
    RUBY
    assert_predicate status, :success?, out
    assert_includes [%w[Hash 42], %w[RustyRacer::Error 42]], out.lines.map(&:chomp)
  end

  def test_two_isolates_on_two_fibers_taking_turns
    a = context
    b = context
    on_b = Fiber.new { loop { Fiber.yield b.eval("try { throw 1 } catch (e) { new Array(1e5).fill(1).length }") } }
    on_a = Fiber.new { loop { Fiber.yield a.eval("try { throw 1 } catch (e) { 2 }") } }
    assert_equal [100_000, 2, 100_000, 2], [on_b.resume, on_a.resume, on_b.resume, on_a.resume]
    assert_operator b.eval(RECURSION_DEPTH), :>, 1000
    assert_equal 100_000, on_b.resume
  end
end
