# frozen_string_literal: true

require "minitest/autorun"
$LOAD_PATH.unshift(File.expand_path("../gem/lib", __dir__))
require "rusty_racer"

class RustyRacerTest < Minitest::Test
  def setup
    @isolates = []
  end

  def teardown
    @isolates.each { |i| i.dispose unless i.disposed? }
  end

  def isolate(**kw)
    RustyRacer::Isolate.new(**kw).tap { |i| @isolates << i }
  end

  def context(**kw)
    isolate(**kw).context
  end

  # Runs `js` in a child Ruby process, sends it SIGINT once it is running, and
  # returns what the child printed after: "interrupted\n" then "2\n" when
  # Ctrl-C stopped the JS and the isolate stayed usable.
  def interrupted_child_output(js)
    lib = File.expand_path("../gem/lib", __dir__)
    script = <<~RUBY
      require "rusty_racer"
      ctx = RustyRacer::Isolate.new.context
      $stdout.puts "ready"; $stdout.flush
      begin
        ctx.eval(#{js.dump})
      rescue Interrupt
        puts "interrupted"
      end
      puts ctx.eval("1 + 1")
    RUBY
    lines = IO.popen([RbConfig.ruby, "-I", lib, "-e", script], err: File::NULL) do |io|
      assert_equal "ready\n", io.gets
      sleep 0.3
      Process.kill("INT", io.pid)
      io.readlines
    end
    assert_predicate $?, :success?
    lines
  end

  # Runs Ruby `script` (with rusty_racer loaded) in a child process that is
  # killed after `timeout` seconds; returns [stdout, Process::Status].
  # For what could hang or take the test runner down if it failed.
  def run_child(script, timeout: 30, env: {})
    lib = File.expand_path("../gem/lib", __dir__)
    IO.popen(env, [RbConfig.ruby, "-I", lib, "-rrusty_racer", "-e", script], err: %i[child out]) do |io|
      killer = Thread.new do
        sleep timeout
        Process.kill("KILL", io.pid)
      rescue Errno::ESRCH
        nil
      end
      out = io.read
      killer.kill
      Process.wait(io.pid) rescue nil # rubocop:disable Style/RescueModifier
      [out, $?]
    end
  end

  # Runs the block on another thread and returns what it raised (or returned).
  def on_other_thread
    Thread.new do
      Thread.current.report_on_exception = false
      yield
    rescue Exception => e # rubocop:disable Lint/RescueException
      e
    end.value
  end
end
