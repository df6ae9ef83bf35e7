# frozen_string_literal: true

require "minitest/autorun"
require "open3"
require "tmpdir"
require "zlib"

# bin/setup verifies the shared V8 archive against SHA256SUMS before use.
class SetupTest < Minitest::Test
  SETUP = File.expand_path("../bin/setup", __dir__)

  def setup_with_shared_dir(sums)
    Dir.mktmpdir do |dir|
      Zlib::GzipWriter.open(File.join(dir, "librusty_v8.a.gz")) { |gz| gz.write("not V8") }
      File.write(File.join(dir, "SHA256SUMS"), sums)
      env = { "RUSTY_V8_ARCHIVE" => nil, "RR_V8_SHARED_DIR" => dir }
      return Open3.capture3(env, SETUP)
    end
  end

  def test_a_mismatched_archive_is_refused_with_a_clear_message
    _out, err, status = setup_with_shared_dir("#{"0" * 64}  librusty_v8.a.gz\n")
    refute_predicate status, :success?
    assert_match(/librusty_v8\.a\.gz does not match SHA256SUMS \(got \h{64}, want 0{64}\): corrupt or wrong archive/, err)
    assert_match(/refusing to use/, err)
  end

  def test_a_missing_explicit_archive_is_an_error
    _out, err, status = Open3.capture3({ "RUSTY_V8_ARCHIVE" => "/nonexistent/librusty_v8.a.gz" }, SETUP)
    refute_predicate status, :success?
    assert_match(%r{RUSTY_V8_ARCHIVE=/nonexistent/librusty_v8\.a\.gz does not exist}, err)
  end

  def test_an_archive_without_a_checksum_is_refused
    _out, err, status = setup_with_shared_dir("")
    refute_predicate status, :success?
    assert_match(/SHA256SUMS has no line for librusty_v8\.a\.gz: cannot verify the archive/, err)
  end
end
