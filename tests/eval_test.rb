# frozen_string_literal: true

require_relative "test_helper"

class EvalTest < RustyRacerTest
  def test_eval_returns_marshalled_values
    ctx = context
    assert_equal 2, ctx.eval("1 + 1")
    assert_equal({ "a" => 1, "b" => [true, "x"] }, ctx.eval("({a: 1, b: [true, 'x']})"))
    assert_nil ctx.eval("undefined")
    assert_nil ctx.eval("null")
    assert_equal false, ctx.eval("false")
    assert_equal 1.5, ctx.eval("1.5")
    assert_kind_of Integer, ctx.eval("2 ** 40")
    assert_equal 2**70, ctx.eval("2n ** 70n")
    s = ctx.eval("'h\\u00e9 \\u{1F600}'")
    assert_equal "h\u00e9 \u{1F600}", s
    assert_equal Encoding::UTF_8, s.encoding
    assert_equal({ "n" => { "list" => [1, [2, [3]], { "k" => nil }] } }, ctx.eval("({n: {list: [1, [2, [3]], {k: null}]}})"))
  end

  def test_values_round_trip_through_call
    ctx = context
    ctx.eval("function id(x) { return x }")
    [nil, true, false, 0, -7, 2**53, 2**64, 1.25, "", "ascii", "h\u00e9", [], [1, "two", [3.5]],
     { "a" => 1 }, { "nested" => { "deep" => [nil, true] } }].each do |value|
      value.nil? ? assert_nil(ctx.call("id", value)) : assert_equal(value, ctx.call("id", value), value.inspect)
    end
    assert_equal({ "sym" => "val" }, ctx.call("id", { sym: :val }), "Symbol keys and values become strings")
  end

  def test_times_and_dates
    ctx = context
    ctx.eval("function id(x) { return x }")
    t = Time.at(1_700_000_000, 123, :millisecond)
    assert_equal t, ctx.call("id", t)
    assert_equal Time.at(86_400), ctx.eval("new Date(86400000)")
    assert_equal 1_700_000_000_123, ctx.call("id", t).then { |v| (v.to_r * 1000).to_i }
  end

  def test_a_value_that_cannot_be_marshalled_raises_before_js_runs
    ctx = context
    ctx.eval("var calls = 0; function id(x) { calls++; return x }")
    e = assert_raises(TypeError) { ctx.call("id", Object.new) }
    assert_equal "cannot marshal an object of class Object to JavaScript", e.message
    e = assert_raises(EncodingError) { ctx.call("id", "\xFF".dup.force_encoding("UTF-8")) }
    assert_match(/invalid byte sequence in UTF-8/, e.message)
    assert_equal 0, ctx.eval("calls"), "the function never ran"
  end

  def test_eval_keyword_arguments
    ctx = context
    assert_equal 1, ctx.eval("x = 1", filename: "boot.js", timeout_ms: 50)
    e = assert_raises(TypeError) { ctx.eval("1", filename: 3) }
    assert_equal "RustyRacer::Context#eval: filename must be a String (got Integer)", e.message
    e = assert_raises(ArgumentError) { ctx.eval("1", timeout_ms: -1) }
    assert_match(/timeout_ms must be >= 0/, e.message)
    e = assert_raises(ArgumentError) { ctx.eval("1", timeoutms: 1) }
    assert_match(/unknown keyword: :timeoutms/, e.message)
  end

  def test_eval_void_runs_for_effect_and_never_marshals
    ctx = context
    assert_nil ctx.eval_void("globalThis.big = {}; globalThis.big.self = globalThis.big; big")
    assert_nil ctx.eval_void("({get x() { throw new Error('never read') }})")
    assert_equal true, ctx.eval("big.self === big")
    assert_raises(RustyRacer::RuntimeError) { ctx.eval_void("throw new Error('still raised')") }
  end

  def test_call_with_dotted_paths_binds_this
    ctx = context
    ctx.eval("function add(a, b) { return a + b }; var math = { base: 10, addBase(x) { return this.base + x } }")
    assert_equal 42, ctx.call("add", 20, 22)
    assert_equal 11, ctx.call("math.addBase", 1)
    assert_nil ctx.call_void("add", 1, 2)
  end

  def test_call_refuses_unknown_names_and_non_paths_without_evaluating
    ctx = context
    ctx.eval("var math = {}")
    e = assert_raises(RustyRacer::RuntimeError) { ctx.call("nope") }
    assert_match(/nope is not a function/, e.message)
    assert_raises(RustyRacer::RuntimeError) { ctx.call("math.missing.deeper") }
    ["globalThis.hacked = 1", "add(1)", "a[0]", "", "math..x"].each do |name|
      e = assert_raises(RustyRacer::RuntimeError, name) { ctx.call(name) }
      assert_match(/not a plain dotted path/, e.message)
    end
    assert_equal "undefined", ctx.eval("typeof hacked"), "nothing was evaluated"
    assert_equal({}, ctx.eval("math"), "nothing was created")
  end

  # A path's names are kept per isolate; what they name is looked up anew
  # at every call, in the realm called.
  def test_call_looks_the_path_up_as_it_is_now
    iso = isolate
    ctx = iso.context
    ctx.eval("var api = { v: { f: () => 1 } }")
    assert_equal 1, ctx.call("api.v.f")
    ctx.eval("api.v = { f: () => 2 }")
    assert_equal 2, ctx.call("api.v.f")
    ctx.eval("api.v = {}")
    e = assert_raises(RustyRacer::RuntimeError) { ctx.call("api.v.f") }
    assert_match(/\Aapi\.v\.f is not a function \(it is undefined\)/, e.message)
    ctx.eval("api.v = 5")
    e = assert_raises(RustyRacer::RuntimeError) { ctx.call("api.v.f") }
    assert_match(/\Aapi\.v\.f is not a function \(api\.v is number\)/, e.message)
    ctx.eval("api = 7")
    e = assert_raises(RustyRacer::RuntimeError) { ctx.call("api.v.f") }
    assert_match(/\Aapi\.v\.f is not a function \(api is number\)/, e.message)
    other = iso.create_context
    other.eval("var api = { v: { f: () => 3 } }")
    assert_equal 3, other.call("api.v.f")
    # More paths than the table keeps: each still resolves.
    ctx.eval("var many = {}; for (let i = 0; i < 1500; i++) many['f' + i] = () => i")
    assert_equal [0, 700, 1499, 0], [0, 700, 1499, 0].map { |i| ctx.call("many.f#{i}") }
    e = assert_raises(RustyRacer::RuntimeError) { ctx.call("many.f1500") }
    assert_match(/many\.f1500 is not a function/, e.message)
  end

  def test_microtasks_policy
    ctx = context
    ctx.eval("var r = 0; Promise.resolve(1).then(v => r = v)")
    assert_equal 1, ctx.eval("r"), ":auto runs promise jobs when the eval returns"
    ctx = context(microtasks: :explicit)
    ctx.eval("var r = 0; Promise.resolve(1).then(v => r = v)")
    assert_equal 0, ctx.eval("r"), ":explicit leaves them queued"
  end

  def test_context_identity
    iso = isolate
    assert_same iso.context, iso.context
    assert_equal 0, iso.context.id
  end
end
