# frozen_string_literal: true

require_relative "test_helper"
require "open3"
require "tmpdir"

class CliTest < Minitest::Test
  CLI = File.expand_path("../bin/rusty_racer", __dir__)

  def run_cli(*args, stdin: "")
    Open3.capture3(RbConfig.ruby, CLI, *args, stdin_data: stdin)
  end

  def test_eval_prints_the_result
    out, _err, status = run_cli("-e", "1 + 1")
    assert_equal "2\n", out
    assert_predicate status, :success?
    assert_equal "[1, \"a\"]\n", run_cli("-e", "[1, 'a']").first
  end

  def test_runs_a_file_and_reports_errors
    Dir.mktmpdir do |dir|
      path = File.join(dir, "app.js")
      File.write(path, "print('hi', 1 + 2)\nthrow new Error('bad')")
      out, err, status = run_cli(path)
      assert_equal "hi 3\n", out
      assert_includes err, "RustyRacer::RuntimeError: Error: bad"
      assert_includes err, "at #{path}:2:7"
      refute_predicate status, :success?
    end
  end

  def test_repl_keeps_going_after_errors
    out, err, status = run_cli(stdin: "var a = 5\nthrow new Error('x')\na * 2\n")
    assert_equal "undefined\n10\n", out
    assert_includes err, "Error: x"
    assert_predicate status, :success?
  end
end
