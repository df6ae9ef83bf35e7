# frozen_string_literal: true

# Checks the glue generated from codegen/tests/fixture/idl through a real
# Ruby extension (bin/test builds it and sets RR_FIXTURE_DIR).
require "minitest/autorun"
$LOAD_PATH.unshift(ENV.fetch("RR_FIXTURE_DIR"))
require "rr_fixture"

class CodegenFixtureTest < Minitest::Test
  F = RustyRacerFixture
  W = F::Widget

  def widget(*args, **kw)
    W.new("w", *args, **kw)
  end

  def test_defaults_are_applied
    assert_equal({ name: "w", size: 1, tags: [], mode: :fast, label: nil, ratio: 1.5, strict: false }, widget.settings)
  end

  def test_optional_splat_and_keywords_are_passed_through
    w = W.new("x", 3, "a", "b", mode: :safe, label: "L", ratio: 2, strict: true)
    assert_equal({ name: "x", size: 3, tags: %w[a b], mode: :safe, label: "L", ratio: 2.0, strict: true }, w.settings)
  end

  def test_missing_argument_names_method_and_argument
    e = assert_raises(ArgumentError) { W.new }
    assert_equal "RustyRacerFixture::Widget.new: missing argument name (given 0, expected 1+)", e.message
    e = assert_raises(ArgumentError) { widget.add(1) }
    assert_equal "RustyRacerFixture::Widget#add: missing argument b (given 1, expected 2)", e.message
  end

  def test_extra_argument
    e = assert_raises(ArgumentError) { widget.add(1, 2, 3) }
    assert_equal "RustyRacerFixture::Widget#add: too many arguments (given 3, expected 2)", e.message
    e = assert_raises(ArgumentError) { F.echo }
    assert_equal "RustyRacerFixture.echo: missing argument value (given 0, expected 1)", e.message
  end

  def test_unknown_and_missing_keywords
    e = assert_raises(ArgumentError) { W.new("x", colour: :red) }
    assert_equal "RustyRacerFixture::Widget.new: unknown keyword: :colour (known: :mode, :label, :ratio, :strict)", e.message
    e = assert_raises(ArgumentError) { widget.configure }
    assert_equal "RustyRacerFixture::Widget#configure: missing keyword: :depth", e.message
    assert_equal "depth=2 verbose=false", widget.configure(depth: 2)
    assert_equal "depth=2 verbose=true", widget.configure(depth: 2, verbose: true)
  end

  def test_a_positional_hash_is_not_taken_for_keywords
    e = assert_raises(ArgumentError) { widget.configure({ depth: 2 }) }
    assert_match(/too many arguments \(given 1, expected 0\)/, e.message)
  end

  def test_wrong_types_raise_type_error_naming_the_argument
    e = assert_raises(TypeError) { W.new(1) }
    assert_equal "RustyRacerFixture::Widget.new: name must be a String (got Integer)", e.message
    e = assert_raises(TypeError) { W.new("x", "big") }
    assert_equal "RustyRacerFixture::Widget.new: size must be an Integer (got String)", e.message
    e = assert_raises(TypeError) { W.new("x", 1, "a", :b) }
    assert_equal "RustyRacerFixture::Widget.new: tags[1] must be a String (got Symbol)", e.message
    e = assert_raises(ArgumentError) { W.new("x", mode: :turbo) }
    assert_equal "RustyRacerFixture::Widget.new: mode must be one of :fast, :safe (got :turbo)", e.message
    e = assert_raises(TypeError) { W.new("x", mode: "fast") }
    assert_match(/mode must be one of :fast, :safe \(got /, e.message)
    e = assert_raises(TypeError) { W.new("x", strict: 1) }
    assert_equal "RustyRacerFixture::Widget.new: strict must be true or false (got Integer)", e.message
    e = assert_raises(TypeError) { W.new("x", 1.5) }
    assert_equal "RustyRacerFixture::Widget.new: size must be an Integer (got Float)", e.message
    e = assert_raises(RangeError) { W.new("x", 2**64) }
    assert_equal "RustyRacerFixture::Widget.new: size must be an Integer (got 18446744073709551616, outside the 64-bit range)",
                 e.message
    e = assert_raises(RangeError) { F.describe(true, 1, :s, [1, 2**70], []) }
    assert_match(/list must be an Array whose elements are each an Integer \(got an Array whose element 1 is 1180591620717411303424, outside/, e.message)
  end

  def test_nested_type_errors_say_where
    e = assert_raises(TypeError) { F.describe(true, 1, :s, [1, "2"], []) }
    assert_equal "RustyRacerFixture.describe: list must be an Array whose elements are each an Integer " \
                 "(got an Array whose element 1 is String)", e.message
    e = assert_raises(TypeError) { F.invert({ "a" => "b" }) }
    assert_match(/table must be a Hash whose keys are each a String and values each an Integer \(got a Hash with a value that is String\)/, e.message)
    e = assert_raises(TypeError) { widget.call_with(42) }
    assert_equal "RustyRacerFixture::Widget#call_with: callable must be callable (respond to #call) " \
                 "(got Integer, which does not respond to #call)", e.message
    e = assert_raises(TypeError) { widget.same_name?("w") }
    assert_equal "RustyRacerFixture::Widget#same_name?: other must be a RustyRacerFixture::Widget (got String)", e.message
  end

  def test_values_round_trip_through_typed_parameters
    assert_equal 5, F.add(2, 3)
    obj = Object.new
    assert_same obj, F.echo(obj)
    bytes = F.reverse_bytes("\x00\xFFab".b)
    assert_equal "ba\xFF\x00".b, bytes
    assert_equal Encoding::ASCII_8BIT, bytes.encoding
    assert_equal :safe, F.flip(:fast)
    assert_equal({ 1 => "a", 2 => "b" }, F.invert("a" => 1, "b" => 2))
    assert_nil F.shout(nil)
    assert_equal "HI", F.shout("hi")
    assert_equal 'flag=false ratio=2.0 sym="go" list=[1, -2] nested=[[Some("a"), None], []]',
                 F.describe(false, 2, :go, [1, -2], [["a", nil], []])
    assert_equal %i[a b], F.symbols(%w[a b])
    assert_equal "H\u00c9", F.shout("h\u00e9".encode("ISO-8859-1")), "strings are transcoded to UTF-8"
    e = assert_raises(TypeError) { F.shout("\xFF".dup.force_encoding("UTF-8")) }
    assert_match(/text must be nil or a String \(got a String that is not valid/, e.message)
    assert W.new("w").same_name?(W.new("w"))
    assert_equal 3, widget.call_with(->(a, b) { a + b }, 1, 2)
    assert_equal 7, widget.call_with(method(:Integer), "7")
  end

  def test_setter_name_maps_to_set_method
    w = widget
    w.label = "tag"
    assert_equal "tag", w.settings[:label]
    w.label = nil
    assert_nil w.settings[:label]
  end

  def test_required_and_optional_blocks
    w = W.new("w", 1, "a", "b")
    assert_equal %w[A B], w.each_tag(&:upcase)
    e = assert_raises(ArgumentError) { w.each_tag }
    assert_equal "RustyRacerFixture::Widget#each_tag: a block is required", e.message
    assert_equal 2, w.transform(1) { |v| v + 1 }
    assert_equal 1, w.transform(1)
  end

  def test_constants
    assert_equal 42, F::ANSWER
    assert_equal "hello", F::GREETING
  end

  def test_owner_thread_check_from_another_thread
    w = widget
    %i[settings add configure each_tag fail! dispose].each do |m|
      e = Thread.new { Thread.current.report_on_exception = false; w.public_send(m) }.join.value rescue $!
      assert_kind_of F::WrongThreadError, e, m.to_s
      assert_match(/\ARustyRacerFixture::Widget##{Regexp.escape(m.to_s)}: called from a thread that does not own it/, e.message)
      assert_match(/only Widget#ping, Widget#disposed\? may be called from any thread/, e.message)
    end
    refute w.disposed?, "a refused dispose must not dispose"
  end

  def test_thread_check_runs_before_argument_parsing
    w = widget
    e = Thread.new { Thread.current.report_on_exception = false; w.add("not", "ints", "at all") }.join.value rescue $!
    assert_kind_of F::WrongThreadError, e
  end

  def test_any_methods_work_from_another_thread
    w = widget
    assert_equal "pong", Thread.new { w.ping }.value
    assert_equal false, Thread.new { w.disposed? }.value
    made = Thread.new { W.new("t") }.value
    e = assert_raises(F::WrongThreadError) { made.settings }
    assert_match(/does not own it/, e.message)
  end

  def test_disposed_check
    w = widget
    w.dispose
    w.dispose # idempotent: allow_disposed
    assert w.disposed?
    e = assert_raises(F::DisposedError) { w.add(1, 2) }
    assert_equal "RustyRacerFixture::Widget#add: this Widget has been disposed", e.message
    assert_raises(F::DisposedError) { w.ping }
    assert_raises(F::DisposedError) { w.add }
  end

  def test_error_hierarchy_and_raised_errors
    assert_equal F::Error, F::WidgetError.superclass
    assert_equal StandardError, F::Error.superclass
    [F::DisposedError, F::WrongThreadError].each { |c| assert_operator c, :<, F::Error }
    e = assert_raises(F::WidgetError) { widget.fail!("bad widget") }
    assert_equal "bad widget", e.message
  end

  def test_classes_cannot_be_allocated_behind_the_glue
    assert_raises(TypeError) { W.allocate }
  end

  def test_methods_take_any_arity_so_the_glue_reports_errors
    assert_equal(-1, W.instance_method(:add).arity)
    assert_equal %i[add describe echo flip invert reverse_bytes shout symbols].sort,
                 (F.singleton_methods - [:const_missing]).sort
  end
end
