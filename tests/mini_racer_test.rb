# frozen_string_literal: true

require_relative "test_helper"
require "mini_racer"
require "tmpdir"

# The mini_racer-compatible layer: mini_racer's API and errors on rusty_racer.
class MiniRacerTest < Minitest::Test
  def setup
    @contexts = []
  end

  def teardown
    @contexts.each(&:dispose)
  end

  def context(**options)
    MiniRacer::Context.new(**options).tap { |c| @contexts << c }
  end

  def test_eval_call_attach_and_load
    ctx = context
    assert_equal 2, ctx.eval("1 + 1")
    ctx.eval("function add(a, b) { return a + b }")
    assert_equal 5, ctx.call("add", 2, 3)
    ctx.attach("shout", ->(s) { s.upcase })
    assert_equal "HI", ctx.eval("shout('hi')")
    assert_equal 42, ctx.eval_await("Promise.resolve(42)")
    Dir.mktmpdir do |dir|
      File.write(File.join(dir, "lib.js"), "var loaded = 'yes'")
      ctx.load(File.join(dir, "lib.js"))
    end
    assert_equal "yes", ctx.eval("loaded")
    ctx.eval("function size(bytes) { return bytes instanceof Uint8Array && bytes.length }")
    assert_equal 4, ctx.call("size", MiniRacer::Binary.new("\x00\x01\x02\xff"))
  end

  def test_errors_are_mini_racers
    ctx = context(timeout: 50, max_memory: 20_000_000)
    assert_raises(MiniRacer::ParseError) { ctx.eval("(") }
    error = assert_raises(MiniRacer::RuntimeError) { ctx.eval("throw new Error('boom')", filename: "x.js") }
    assert_equal "Error: boom", error.message
    assert_kind_of MiniRacer::EvalError, error
    assert_kind_of MiniRacer::Error, error
    assert_raises(MiniRacer::ScriptTerminatedError) { ctx.eval("while (true) {}") }
    assert_raises(MiniRacer::V8OutOfMemoryError) { ctx.eval("let a = []; while (true) a.push(new Array(1e4).fill(1))") }
    assert_equal 2, ctx.eval("1 + 1")
    error = assert_raises(ArgumentError) { MiniRacer::Context.new(timout: 1) }
    assert_match(/unknown option: :timout/, error.message)
    assert_raises(MiniRacer::PlatformAlreadyInitialized) { MiniRacer::Platform.set_flags!(:noconcurrent_recompilation) }
  end

  def test_any_thread_may_use_a_context_and_stop_it
    ctx = context
    ctx.eval("var n = 0")
    4.times.map { Thread.new { 10.times { ctx.eval("n++") } } }.each(&:join)
    assert_equal 40, ctx.eval("n")
    runner = Thread.new { ctx.eval("while (true) {}") rescue $! }
    sleep 0.1
    ctx.stop
    assert_kind_of MiniRacer::ScriptTerminatedError, runner.value
    assert_equal 1, ctx.eval("1")
  end

  def test_dispose_heap_stats_and_snapshots
    ctx = context
    assert_equal %i[total_physical_size total_heap_size_executable total_heap_size used_heap_size heap_size_limit].sort,
                 ctx.heap_stats.keys.sort
    assert_nil ctx.low_memory_notification
    ctx.dispose
    assert_raises(MiniRacer::ContextDisposedError) { ctx.eval("1") }
    snapshot = MiniRacer::Snapshot.new("var baked = 7")
    assert_same snapshot, snapshot.warmup!("baked + 1")
    loaded = MiniRacer::Snapshot.load(snapshot.dump)
    assert_equal snapshot.size, loaded.size
    assert_equal 7, context(snapshot: loaded).eval("baked")
    assert_raises(MiniRacer::SnapshotError) { MiniRacer::Snapshot.new("throw 1") }
    assert_raises(MiniRacer::SnapshotError) { MiniRacer::Snapshot.load("garbage") }
  end

  def test_a_context_nobody_disposes_is_collected
    out = IO.popen([RbConfig.ruby, "-I", File.expand_path("../gem/lib", __dir__), "-e", <<~RUBY], err: %i[child out], &:read)
      require "mini_racer"
      20.times { MiniRacer::Context.new.eval("1") }
      4.times { GC.start(full_mark: true, immediate_sweep: true); sleep 0.05 }
      live = RustyRacer.live_isolate_count
      puts live <= 2 ? "collected" : "leaked \#{live}"
    RUBY
    assert_equal "collected\n", out
  end

  def test_callbacks_run_on_the_calling_thread_and_calls_never_hang
    ctx = context
    ctx.attach("where", -> { Thread.current.object_id })
    assert_equal Thread.current.object_id, ctx.eval("where()")
    other = Thread.new { ctx.eval("where()") }
    assert_equal other.object_id, other.value
    ctx.attach("quit", -> { Thread.exit })
    quitter = Thread.new { ctx.eval("quit()"); :not_reached }
    assert quitter.join(5), "Thread.exit in a callback ends that thread"
    assert_nil quitter.value
    assert_equal 1, ctx.eval("1"), "and the context stays usable"
    racing = MiniRacer::Context.new
    callers = Array.new(4) { Thread.new { 200.times { racing.eval("1") } rescue $! } }
    racing.dispose
    assert(callers.map { |t| t.join(5) }.all?, "a caller hung on the disposed context")
    callers.each { |t| assert(t.value.nil? || t.value.is_a?(MiniRacer::ContextDisposedError), t.value.inspect) }
    assert_raises(MiniRacer::ContextDisposedError) { racing.eval("1") }
    forked = context
    pid = fork do
      forked.eval("1")
      exit!(1)
    rescue MiniRacer::ContextDisposedError
      exit!(0)
    end
    Process.wait(pid)
    assert_predicate $?, :success?
  end

  def test_values_come_back_as_mini_racer_makes_them
    ctx = context
    assert_equal :foo, ctx.eval("Symbol('foo')")
    assert_equal({ "s" => :"Symbol.iterator", "m" => { 1 => "one", "k" => [1, 2] } },
                 ctx.eval("({ s: Symbol.iterator, m: new Map([[1, 'one'], ['k', new Set([1, 2])]]) })"))
    assert_instance_of Hash, ctx.eval("new Map()")
    assert_instance_of Array, ctx.eval("new Set()")
    fn = ctx.eval("({ f(x) { return x + 1 } })")["f"]
    assert_kind_of MiniRacer::JavaScriptFunction, fn
    assert_equal 3, Thread.new { fn.call(2) }.value, "callable from any thread too"
    # What mini_racer and rusty_racer agree on is unchanged.
    assert_equal [1, 1.5, "x", nil, true, { "a" => [2**70] }], ctx.eval("[1, 1.5, 'x', null, true, { a: [2n ** 70n] }]")
  end
end
