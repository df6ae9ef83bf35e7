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

  # A module with a memory of 1 page (no maximum) and `grow(pages)`, which
  # runs `memory.grow` inside wasm; it exports both.
  GROWING_WASM = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
                  0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x0e, 0x02, 0x04, 0x67, 0x72, 0x6f,
                  0x77, 0x00, 0x00, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x20, 0x00,
                  0x40, 0x00, 0x0b].pack("C*")

  def test_webassembly_memory_counts_against_the_memory_limit
    iso = isolate(memory_limit: 16 << 20)
    ctx = iso.context
    # Twenty 100 MB memories used to fit under 16 MB.
    error = assert_raises(RustyRacer::RuntimeError) do
      ctx.eval("globalThis.ms = []; for (let k = 0; k < 20; k++) ms.push(new WebAssembly.Memory({ initial: 1600 }))")
    end
    assert_equal "RangeError: WebAssembly.Memory: 104857600 more bytes of WebAssembly memory would exceed the " \
                 "isolate's memory_limit (16777216 bytes)", error.message
    made, refused = ctx.eval(<<~JS)
      globalThis.a = new WebAssembly.Memory({ initial: 100 });
      globalThis.b = new WebAssembly.Memory({ initial: 100, maximum: 60000 });
      let refused;
      try { new WebAssembly.Memory({ initial: 100 }) } catch (e) { refused = e instanceof RangeError }
      [a instanceof WebAssembly.Memory && b.buffer.byteLength, refused]
    JS
    assert_equal [6_553_600, true], [made, refused]
    assert_match(/\ARangeError: WebAssembly.Memory.prototype.grow: /, ctx.eval("try { a.grow(100) } catch (e) { String(e) }"))
    assert_equal 100, ctx.eval("a.grow(10)"), "growth within the limit works"
    # Collected memories give their room back.
    ctx.eval_void("a = b = undefined")
    iso.low_memory_notification
    assert_equal 6_553_600 * 2, ctx.eval("new WebAssembly.Memory({ initial: 200 }).buffer.byteLength")
    iso.low_memory_notification
    # A module's own memory: memory.grow inside wasm fails (-1) past the limit.
    ctx.eval("function run(bytes) { const i = new WebAssembly.Instance(new WebAssembly.Module(bytes)); " \
             "return [i.exports.grow(1000), i.exports.grow(10), i.exports.mem.buffer.byteLength / 65536] }")
    assert_equal [-1, 1, 11], ctx.call("run", GROWING_WASM)
    async = "WebAssembly.instantiate(bytes).then(r => [r.instance.exports.grow(1000), r.instance.exports.grow(1)])"
    ctx.eval("function runAsync(bytes) { return #{async} }")
    assert_equal [-1, 1], ctx.call_await("runAsync", GROWING_WASM)
    # The same module grows freely without a limit, where WebAssembly is V8's own.
    free = context
    free.eval("function run(bytes) { return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.grow(1000) }")
    assert_equal 1, free.call("run", GROWING_WASM)
    assert_equal "function Memory() { [native code] }", free.eval("String(WebAssembly.Memory)")
    # What code can see of the wrappers is WebAssembly's shape.
    assert_equal ["Memory", 1, true, "TypeError"], ctx.eval(<<~JS)
      [WebAssembly.Memory.name, WebAssembly.Memory.length, WebAssembly.Memory.prototype.constructor === WebAssembly.Memory,
       (() => { try { WebAssembly.Memory({ initial: 1 }) } catch (e) { return e.name } })()]
    JS
    # A compiled module's instances each reserve the pages its memory declares.
    ctx.eval("function many(bytes) { const m = new WebAssembly.Module(bytes), kept = []; " \
             "try { for (let i = 0; i < 1000; i++) kept.push(new WebAssembly.Instance(m)) } catch (e) { return [kept.length, e.name] } }")
    count, name = ctx.call("many", GROWING_WASM)
    assert_equal "RangeError", name
    assert_operator count, :<, 256, "at most the limit's worth of 1-page memories"
    iso.low_memory_notification # the instances above are garbage now
    # WebAssembly keeps its static methods and the arguments it takes.
    ctx.eval("function statics(b) { const m = new WebAssembly.Module(b, {}); " \
             "return [WebAssembly.Module.exports(m).map(e => e.name), WebAssembly.Module.customSections(m, 'x').length] }")
    assert_equal [%w[grow mem], 0], ctx.call("statics", GROWING_WASM)
  end

  def test_each_realm_holds_its_webassembly_memory_to_the_limit_and_a_reset_gives_it_back
    iso = isolate(memory_limit: 16 << 20)
    realm = iso.create_context
    take = "globalThis.big = new WebAssembly.Memory({ initial: 200 }); " \
           "try { new WebAssembly.Memory({ initial: 100 }); 'made' } catch (e) { e.name }"
    assert_equal "RangeError", realm.eval(take)
    assert_equal "RangeError", iso.context.eval(take)
    3.times do
      realm.reset # the old realm goes, and what it counted with it
      assert_equal "RangeError", realm.eval(take)
    end
    iso.low_memory_notification
    assert_operator iso.heap_statistics[:number_of_native_contexts], :<=, 4
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
