# frozen_string_literal: true

require_relative "test_helper"

# Buffers across isolates and threads through the host namespace:
# transferOut/transferIn move an ArrayBuffer's memory, shareOut/shareIn
# share a SharedArrayBuffer's.
class TransferTest < RustyRacerTest
  def ns_context(**kw)
    context(host_namespace: "NS", **kw)
  end

  def test_an_array_buffer_moves_to_another_isolate_and_the_source_is_detached
    from = ns_context
    to = ns_context
    token = from.eval("globalThis.buf = new Uint8Array([1, 2, 3, 250]); NS.transferOut(buf)")
    assert_operator token, :>, 0
    assert_equal [0, true], from.eval("[buf.buffer.byteLength, buf.buffer.detached]")
    assert_equal 1, RustyRacer.pending_transfer_count
    assert_equal [1, 2, 3, 250], to.eval("Array.from(new Uint8Array(NS.transferIn(#{token})))")
    assert_equal 0, RustyRacer.pending_transfer_count
    assert_nil to.eval("NS.transferIn(#{token})") # used
  end

  def test_tokens_for_what_is_not_a_transferable_buffer_and_bad_tokens
    ctx = ns_context
    assert_equal [0, 0, 0, 0], ctx.eval("[NS.transferOut({}), NS.transferOut(1), NS.transferOut(new SharedArrayBuffer(8)), NS.shareOut(new ArrayBuffer(8))]")
    assert_equal [nil, nil, nil, nil, nil], ctx.eval("[NS.transferIn(0), NS.transferIn(-1), NS.transferIn(1.5), NS.transferIn('1'), NS.transferIn(2 ** 60)]")
    transfer = ctx.eval("NS.transferOut(new ArrayBuffer(4))")
    share = ctx.eval("NS.shareOut(new SharedArrayBuffer(4))")
    assert_nil ctx.eval("NS.shareIn(#{transfer})") # tokens never cross
    assert_nil ctx.eval("NS.transferIn(#{share})")
    assert_equal [true, true, false], ctx.eval("[NS.transferDrop(#{transfer}), NS.transferDrop(#{share}), NS.transferDrop(#{share})]")
    assert_equal 0, RustyRacer.pending_transfer_count
  end

  def test_memory_outlives_the_source_isolate_and_crosses_threads
    from = isolate(host_namespace: "NS")
    token = from.context.eval("NS.transferOut(new Float64Array([1.5, -2.25]).buffer)")
    from.dispose
    value = on_other_thread do
      RustyRacer::Isolate.new(host_namespace: "NS").context.eval("Array.from(new Float64Array(NS.transferIn(#{token})))")
    end
    assert_equal [1.5, -2.25], value
  end

  def test_shared_memory_is_shared_with_atomics_across_threads
    a = ns_context
    token = a.eval("globalThis.shared = new Int32Array(new SharedArrayBuffer(8)); NS.shareOut(shared.buffer)")
    done = on_other_thread do
      ctx = RustyRacer::Isolate.new(host_namespace: "NS").context
      ctx.eval("const s = new Int32Array(NS.shareIn(#{token})); Atomics.add(s, 0, 5); s[1] = 7; Atomics.notify(s, 0); s[0]")
    end
    assert_equal 5, done
    assert_equal [5, 7], a.eval("[Atomics.load(shared, 0), shared[1]]")
  end

  def test_a_round_trip_under_gc_stress_and_a_large_move
    out, status = run_child(<<~RUBY)
      a = RustyRacer::Isolate.new(host_namespace: "NS").context
      b = RustyRacer::Isolate.new(host_namespace: "NS").context
      token = a.eval("const x = new Uint8Array(4 << 20); for (let i = 0; i < x.length; i += 4096) x[i] = i & 255; NS.transferOut(x)")
      GC.stress = true
      sum = b.eval("const y = new Uint8Array(NS.transferIn(\#{token})); let s = 0; for (let i = 0; i < y.length; i += 4096) s += y[i]; s")
      GC.stress = false
      big = a.eval("NS.transferOut(new ArrayBuffer(64 << 20))")
      t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      size = b.eval("NS.transferIn(\#{big}).byteLength")
      ms = (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t) * 1000
      puts sum, size, ms < 20 ? "fast" : "slow \#{ms}"
    RUBY
    assert status.success?, out
    expected = (0...(4 << 20)).step(4096).sum { |i| i & 255 }
    assert_equal "#{expected}\n#{64 << 20}\nfast\n", out
  end

  def test_tokens_cannot_be_guessed
    victim = ns_context
    thief = ns_context
    tokens = Array.new(3) { victim.eval("NS.transferOut(new ArrayBuffer(8))") }
    assert_equal 3, tokens.uniq.size
    assert(tokens.all? { |t| t > 2**32 }, tokens.inspect) # random, not counted from 1
    stolen = thief.eval("let got = 0; for (let i = 1; i < 100000; i++) { if (NS.transferIn(i) || NS.shareIn(i)) got++ } got")
    assert_equal 0, stolen
    tokens.each { |t| assert victim.eval("NS.transferDrop(#{t})") }
  end
end

