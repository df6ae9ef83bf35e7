# frozen_string_literal: true

require_relative "test_helper"
require "tmpdir"

# RustyRacer::Snapshot: heaps baked after running code (and ES modules),
# booted from by new isolates.
class SnapshotTest < RustyRacerTest
  LIBRARY = "globalThis.greet = (name) => 'hi ' + name; var counter = 41; function bump() { return ++counter }"

  def test_an_isolate_boots_with_the_baked_globals_in_every_context
    snapshot = RustyRacer::Snapshot.new(LIBRARY)
    iso = isolate(snapshot: snapshot)
    assert_equal "hi bob", iso.context.eval("greet('bob')")
    assert_equal 42, iso.context.eval("bump()")
    assert_equal 41, iso.create_context.eval("counter")
    assert_equal 41, isolate(snapshot: snapshot).context.eval("counter")
    assert_equal "undefined", context.eval("typeof greet")
  end

  def test_isolates_of_different_snapshots_and_of_none_live_side_by_side
    plain = context
    one = isolate(snapshot: RustyRacer::Snapshot.new("globalThis.which = 'one'")).context
    two = isolate(snapshot: RustyRacer::Snapshot.new(LIBRARY)).context
    assert_equal ["one", "undefined"], one.eval("[which, typeof greet]")
    assert_equal ["undefined", "hi x"], two.eval("[typeof which, greet('x')]")
    assert_equal "undefined", plain.eval("typeof which")
  end

  def test_the_completion_value_is_ignored_however_hostile
    ["new Proxy({}, { get() { throw new Error('trap') }, ownKeys() { throw 1 } })",
     "({ get x() { throw new Error('getter') } })", "new Array(1e6).fill(1)", "Symbol('s')"].each do |code|
      assert_operator RustyRacer::Snapshot.new(code).size, :>, 0
    end
  end

  def test_broken_js_raises_snapshot_error_with_the_js_error
    error = assert_raises(RustyRacer::SnapshotError) { RustyRacer::Snapshot.new("throw new TypeError('bad lib')") }
    assert_equal "TypeError: bad lib", error.message
    error = assert_raises(RustyRacer::SnapshotError) { RustyRacer::Snapshot.new("let = ;") }
    assert_match(/SyntaxError/, error.message)
  end

  def test_warmup_keeps_compiled_code_and_discards_the_warmup_state
    snapshot = RustyRacer::Snapshot.new(LIBRARY)
    cold = snapshot.size
    assert_same snapshot, snapshot.warmup!("for (let i = 0; i < 100; i++) greet(i); bump(); globalThis.junk = 1")
    assert_operator snapshot.size, :>, cold
    ctx = isolate(snapshot: snapshot).context
    assert_equal ["undefined", 41, "hi w"], ctx.eval("[typeof junk, counter, greet('w')]")
    before = snapshot.dump
    assert_raises(RustyRacer::SnapshotError) { snapshot.warmup!("throw new Error('warmup failed')") }
    assert_equal before, snapshot.dump
  end

  def test_dump_and_load_round_trip_and_bad_blobs_raise
    blob = RustyRacer::Snapshot.new(LIBRARY).dump
    assert_equal Encoding::ASCII_8BIT, blob.encoding
    loaded = RustyRacer::Snapshot.load(blob)
    assert_equal blob.bytesize, loaded.size
    assert_equal "hi l", isolate(snapshot: loaded).context.eval("greet('l')")
    flipped = blob.dup.tap { |b| b.setbyte(b.bytesize / 2, b.getbyte(b.bytesize / 2) ^ 1) }
    ["".b, "garbage".b, blob.byteslice(0, 40), blob.byteslice(0, blob.bytesize - 1), flipped, Random.new(3).bytes(4096)].each do |bad|
      assert_raises(RustyRacer::SnapshotError) { RustyRacer::Snapshot.load(bad) }
    end
    assert_raises(EncodingError) { RustyRacer::Snapshot.load("text") }
  end

  def test_a_snapshot_loads_in_another_process
    path = File.join(Dir.mktmpdir, "app.snapshot")
    File.binwrite(path, RustyRacer::Snapshot.new(LIBRARY).warmup!("greet(1)").dump)
    out, status = run_child(<<~RUBY)
      snapshot = RustyRacer::Snapshot.load(File.binread(#{path.dump}))
      puts RustyRacer::Isolate.new(snapshot: snapshot).context.eval("greet('child') + ' ' + bump()")
    RUBY
    assert status.success?, out
    assert_equal "hi child 42\n", out
  end

  def test_baked_es_modules
    snapshot = RustyRacer::Snapshot.new(
      "globalThis.prefix = '>';",
      modules: {
        "/lib/index.js" => "import { render } from './render.js'; globalThis.lib = { render };",
        "/lib/render.js" => "import { wrap } from '../util.js'; export const render = (x) => wrap(prefix + x);",
        "/util.js" => "export const wrap = (s) => '[' + s + ']'; await Promise.resolve();",
      },
      entry: "/lib/index.js",
    )
    ctx = isolate(snapshot: snapshot).context
    assert_equal "[>a]", ctx.eval("lib.render('a')")
    error = assert_raises(RustyRacer::SnapshotError) do
      RustyRacer::Snapshot.new(modules: { "/a.js" => "import './missing.js'" }, entry: "/a.js")
    end
    assert_match(/missing\.js/, error.message)
    assert_raises(RustyRacer::SnapshotError) do
      RustyRacer::Snapshot.new(modules: { "/a.js" => "throw new Error('module failed')" }, entry: "/a.js")
    end
    assert_raises(RustyRacer::SnapshotError) { RustyRacer::Snapshot.new(modules: { "/a.js" => "" }, entry: "/b.js") }
    assert_raises(ArgumentError) { RustyRacer::Snapshot.new(modules: { "/a.js" => "" }) }
  end

  def test_a_code_cache_made_under_a_snapshot_is_accepted_under_the_same_blob
    blob = RustyRacer::Snapshot.new(LIBRARY).dump
    source = "function shout(x) { return greet(x).toUpperCase() } shout('c')"
    made = isolate(snapshot: RustyRacer::Snapshot.load(blob)).context.compile(source, produce_cache: true)
    made.run
    cache = made.create_code_cache
    path = File.join(Dir.mktmpdir, "blobs")
    File.binwrite("#{path}.snapshot", blob)
    File.binwrite("#{path}.cache", cache)
    out, status = run_child(<<~RUBY)
      snapshot = RustyRacer::Snapshot.load(File.binread(#{"#{path}.snapshot".dump}))
      script = RustyRacer::Isolate.new(snapshot: snapshot).context.compile(#{source.dump}, cached_data: File.binread(#{"#{path}.cache".dump}))
      puts script.cache_rejected?, script.run
    RUBY
    assert status.success?, out
    assert_equal "false\nHI C\n", out
  end

  def test_snapshots_are_not_tied_to_a_thread_but_not_made_inside_a_callback
    snapshot = on_other_thread { RustyRacer::Snapshot.new(LIBRARY) }
    assert_equal "hi t", isolate(snapshot: snapshot).context.eval("greet('t')")
    ctx = context
    ctx.attach("bake", -> { RustyRacer::Snapshot.new("1") })
    error = assert_raises(RustyRacer::SnapshotError) { ctx.eval("bake()") }
    assert_match(/inside an operation/, error.message)
  end

  def test_isolates_booted_from_snapshots_under_gc_stress
    out, status = run_child(<<~RUBY)
      snapshot = RustyRacer::Snapshot.new("globalThis.v = [1, 2, 3]")
      GC.stress = true
      3.times { RustyRacer::Isolate.new(snapshot: snapshot).context.eval("v.length") }
      GC.stress = false
      puts RustyRacer::Isolate.new(snapshot: snapshot).context.eval("v.length")
    RUBY
    assert status.success?, out
    assert_equal "3\n", out
  end

  def test_heaps_v8_cannot_bake_raise_instead_of_stopping_the_process
    ["globalThis.format = new Intl.NumberFormat('en-US')",
     "globalThis.registry = new FinalizationRegistry(() => {}); registry.register({}, 1)"].each do |code|
      error = assert_raises(RustyRacer::SnapshotError) { RustyRacer::Snapshot.new(code) }
      assert_match(/V8 could not bake this heap/, error.message)
    end
    assert_equal "hi ok", isolate(snapshot: RustyRacer::Snapshot.new(LIBRARY)).context.eval("greet('ok')")
  end

  def test_a_runaway_bake_is_interrupted_and_other_threads_run_meanwhile
    require "timeout"
    ticks = 0
    ticker = Thread.new { loop { ticks += 1; sleep 0.01 } }
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_raises(Timeout::Error) { Timeout.timeout(0.5) { RustyRacer::Snapshot.new("for (;;) {}") } }
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 5
    assert_operator ticks, :>, 5
    ticker.kill
    assert_operator RustyRacer::Snapshot.new("1").size, :>, 0
  end

  def test_baked_buffers_beyond_the_memory_limit_do_not_abort
    snapshot = RustyRacer::Snapshot.new("globalThis.big = new Uint8Array(4 << 20)")
    iso = isolate(snapshot: snapshot, memory_limit: 16 << 20, host_namespace: "NS")
    realms = Array.new(6) { iso.create_context }
    assert_equal [4 << 20] * 6, realms.map { |r| r.eval("big.length") }
    assert_equal realms.map(&:id), realms.map { |r| r.eval("NS.contextOf(globalThis)") } # each fully made
    assert_raises(RustyRacer::RuntimeError) { iso.context.eval("new ArrayBuffer(64 << 20)") }
  end
end

