# frozen_string_literal: true

require_relative "test_helper"

# Preforking servers (Puma, Unicorn) and Resque fork after V8 has started.
class ForkTest < RustyRacerTest
  # What each forked child does; the parent made `parent` and ran JS first.
  CHILD_SCRIPT = <<~'RUBY'
    $stdout.sync = true
    RustyRacer::Platform.set_flags!(:single_threaded) if ARGV[0] == "single"
    parent = RustyRacer::Isolate.new
    ctx = parent.context
    ctx.eval("globalThis.x = 41; function f() { return x + 1 }; let s = 0; for (let i = 0; i < 1e6; i++) s += i")
    pid = fork do
      puts "parent's isolate: #{ctx.call("f")}"
      fresh = RustyRacer::Isolate.new.context
      puts "new isolate: #{fresh.eval("[1, 2, 3].map(x => x * 2).join()")}"
      puts "gc and jit: #{fresh.eval(<<~JS)}"
        function hot(o) { return o.a + o.b.length }
        let total = 0;
        for (let round = 0; round < 10; round++) {
          const keep = [];
          for (let i = 0; i < 1e5; i++) { const o = {a: 1, b: 'x'.repeat(i % 50)}; total += hot(o); if (i % 10 == 0) keep.push(o) }
        }
        total
      JS
      begin
        ctx.eval("for (;;) {}", timeout_ms: 100)
      rescue RustyRacer::ScriptTerminatedError
        puts "timeout in the child: stopped"
      end
      exit!(0)
    end
    Process.wait(pid)
    puts "child: #{$?.exitstatus}"
    puts "parent after: #{ctx.call("f")}"
  RUBY

  EXPECTED = ["parent's isolate: 42", "new isolate: 2,4,6", "gc and jit: 25500000", "timeout in the child: stopped",
              "child: 0", "parent after: 42"].freeze

  def run_forking(mode)
    lib = File.expand_path("../gem/lib", __dir__)
    IO.popen([RbConfig.ruby, "-I", lib, "-rrusty_racer", "-e", CHILD_SCRIPT, mode], err: %i[child out]) do |io|
      killer = Thread.new { sleep 60; Process.kill("KILL", io.pid) rescue nil } # rubocop:disable Style/RescueModifier
      out = io.read
      killer.kill
      [out, (Process.wait(io.pid) rescue nil) && $?] # rubocop:disable Style/RescueModifier
    end
  end

  def test_single_threaded_platform_keeps_isolates_working_in_forked_children
    out, = run_forking("single")
    assert_equal EXPECTED, out.lines.map(&:chomp), out
  end

  def test_default_platform_works_in_forked_children_too
    out, = run_forking("default")
    assert_equal EXPECTED, out.lines.map(&:chomp), out
  end

  def test_fork_while_another_thread_runs_js
    out, status = run_child(<<~'RUBY', timeout: 60)
      $stdout.sync = true
      require "timeout"
      busy = Thread.new { RustyRacer::Isolate.new.context.eval("for (;;) {}", timeout_ms: 3000) rescue :stopped }
      sleep 0.3 # the poll of that operation runs now
      pid = fork do
        ctx = RustyRacer::Isolate.new.context
        begin
          Timeout.timeout(0.2) { ctx.eval("for (;;) {}") }
        rescue Timeout::Error
          puts "child: Timeout stopped the JS"
        end
        puts "child: #{ctx.eval("6 * 7")}"
        exit!(0)
      end
      Process.wait(pid)
      puts "child exit #{$?.exitstatus}"
      puts "parent thread: #{busy.value}"
    RUBY
    assert_predicate status, :success?, out
    assert_equal ["child: Timeout stopped the JS", "child: 42", "child exit 0", "parent thread: stopped"],
                 out.lines.map(&:chomp)
  end
end
