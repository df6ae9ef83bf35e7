# frozen_string_literal: true

require_relative "test_helper"
require "json"
require "stringio"
require "tmpdir"

# Heap limits, what the heap reports, and recovering from running out.
class MemoryTest < RustyRacerTest
  RUNAWAY = "{ const a = []; while (true) a.push(new Array(1000)) }"

  def test_memory_limit_raises_recovers_and_bites_again
    ctx = context(memory_limit: 20_000_000)
    3.times do
      error = assert_raises(RustyRacer::V8OutOfMemoryError) { ctx.eval(RUNAWAY) }
      assert_match(/memory_limit of 20 MB/, error.message)
      assert_kind_of RustyRacer::EvalError, error
      assert_equal 2, ctx.eval("1 + 1")
    end
    # Moderate allocation still works after recovering.
    assert_equal 100_000, ctx.eval("new Array(100000).fill(0).length")
  end

  def test_memory_limit_with_a_timeout_armed
    ctx = context(memory_limit: 20_000_000, timeout_ms: 10_000)
    assert_raises(RustyRacer::V8OutOfMemoryError) { ctx.eval(RUNAWAY) }
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_array_buffers_count_against_the_memory_limit
    iso = isolate(memory_limit: 16_000_000)
    ctx = iso.context
    assert_equal "RangeError: Array buffer allocation failed",
                 ctx.eval("try { new ArrayBuffer(64 * 1024 * 1024); 'allocated' } catch (e) { String(e) }")
    count, error = ctx.eval(<<~JS)
      const kept = []; let error;
      try { for (let i = 0; i < 100; i++) kept.push(new ArrayBuffer(1024 * 1024)) } catch (e) { error = String(e) }
      [kept.length, error]
    JS
    assert_operator count, :<=, 16
    assert_equal "RangeError: Array buffer allocation failed", error
    # Collected buffers give their room back.
    ctx.eval("kept.length = 0")
    iso.low_memory_notification
    assert_equal 8 * 1024 * 1024, ctx.eval("new ArrayBuffer(8 * 1024 * 1024).byteLength")
  end

  def test_allocations_that_used_to_abort_the_process_raise
    # In a child: each of these used to end the process (SIGTRAP, "Reached heap limit").
    out, status = run_child(<<~RUBY, timeout: 120)
      def attempt(name, ctx)
        yield ctx
        puts "\#{name}: no error"
      rescue RustyRacer::V8OutOfMemoryError
        puts "\#{name}: V8OutOfMemoryError \#{ctx.eval("6 * 7")}"
      end
      small = -> { RustyRacer::Isolate.new(memory_limit: 16_000_000).context }
      attempt("one huge array", small.call) { |c| c.eval("new Array(3e7).fill(1.5); 1") }
      attempt("large argument", small.call) do |c|
        c.eval("function len(x) { return x.length }")
        c.call("len", Array.new(3_000_000) { |i| i.to_s })
      end
      attempt("large callback result", small.call) do |c|
        c.attach("big", proc { Array.new(3_000_000) { |i| i.to_s } })
        c.eval("big().length")
      end
      attempt("no memory_limit", RustyRacer::Isolate.new.context) do |c|
        c.eval("const a = []; while (true) a.push(new Array(100000).fill(1.5))")
      end
    RUBY
    assert_predicate status, :success?, out
    assert_equal ["one huge array: V8OutOfMemoryError 42", "large argument: V8OutOfMemoryError 42",
                  "large callback result: V8OutOfMemoryError 42", "no memory_limit: V8OutOfMemoryError 42"],
                 out.lines.map(&:chomp)
  end

  def test_heap_statistics
    iso = isolate
    stats = iso.heap_statistics
    assert_equal %i[used_heap_size total_heap_size total_physical_size heap_size_limit malloced_memory
                    peak_malloced_memory external_memory number_of_native_contexts number_of_detached_contexts].sort,
                 stats.keys.sort
    assert(stats.values.all?(Integer))
    assert_operator stats[:used_heap_size], :>, 0
    assert_equal 1, stats[:number_of_native_contexts]
    iso.context.eval("globalThis.keep = new Array(1e6).fill(1.5)")
    assert_operator iso.heap_statistics[:used_heap_size], :>, stats[:used_heap_size] + 4_000_000
    limited = isolate(memory_limit: 64 * 1024 * 1024).heap_statistics[:heap_size_limit]
    assert_operator limited, :<=, 64 * 1024 * 1024
  end

  def test_low_memory_notification_collects_garbage
    iso = isolate
    iso.context.eval("globalThis.junk = new Array(1e6).fill(1.5); 0")
    before = iso.heap_statistics[:used_heap_size]
    iso.context.eval("junk = null")
    assert_nil iso.low_memory_notification
    assert_operator iso.heap_statistics[:used_heap_size], :<, before - 4_000_000
  end

  def test_pump_message_loop_runs_finalization_registry_cleanups
    iso = isolate
    ctx = iso.context
    ctx.eval(<<~JS)
      globalThis.cleaned = [];
      globalThis.registry = new FinalizationRegistry((held) => cleaned.push(held));
      (() => { registry.register({}, "gone") })();
    JS
    assert_nil iso.pump_message_loop # idle: a no-op
    iso.low_memory_notification
    10.times do
      iso.pump_message_loop
      break unless ctx.eval("cleaned").empty?
      sleep 0.01
    end
    assert_equal ["gone"], ctx.eval("cleaned")
  end

  def test_write_heap_snapshot_to_a_path_and_to_an_io
    iso = isolate
    iso.context.eval("globalThis.marker = { findMe: 'needle-1234' }")
    Dir.mktmpdir do |dir|
      path = File.join(dir, "app.heapsnapshot")
      assert_nil iso.write_heap_snapshot(path)
      snapshot = JSON.parse(File.read(path))
      assert_equal %w[nodes snapshot strings], (snapshot.keys & %w[snapshot nodes strings]).sort
      assert_includes snapshot["strings"], "needle-1234"
    end
    io = StringIO.new
    iso.write_heap_snapshot(io)
    assert_includes JSON.parse(io.string).keys, "nodes"
    assert_raises(TypeError) { iso.write_heap_snapshot(42) }
  end

  def test_dropped_isolates_are_collected_before_memory_balloons
    # In a child, to read its own RSS. Each isolate costs ~1.4 MB outside
    # Ruby's heap; reported to Ruby's GC, dropped ones are collected early.
    out, status = run_child(<<~'RUBY', timeout: 120)
      rss = -> { File.read("/proc/self/status")[/VmRSS:\s+(\d+)/, 1].to_i / 1024 }
      most = 0
      2000.times do
        RustyRacer::Isolate.new.context.eval("1 + 1")
        most = [most, RustyRacer.live_isolate_count].max
      end
      GC.start
      puts "#{rss.call} #{most}"
    RUBY
    assert_predicate status, :success?, out
    rss_mb, most_live = out.split.map(&:to_i)
    assert_operator rss_mb, :<, 300, "RSS after 2,000 dropped isolates"
    assert_operator most_live, :<, 200, "undisposed isolates alive at once"
  end
end
