# frozen_string_literal: true

require_relative "../test_helper"
require "rbs"

# gem/sig/rusty_racer.rbs is generated from the IDL, and so is the extension:
# the loaded classes must have exactly the methods and errors the RBS names.
#
# Runs in its own process (bin/test): rbs 2.1.0's C parser keeps its classes
# in unpinned C globals and crashes once GC.compact (tests/gc_test.rb) has
# moved them; `GC.verify_compaction_references` reproduces it without
# rusty_racer loaded.
class RbsReflectionTest < RustyRacerTest
  SIG = File.expand_path("../../gem/sig/rusty_racer.rbs", __dir__)

  def declarations
    decls = RBS::Parser.parse_signature(File.read(SIG))
    mod = decls.find { |d| d.is_a?(RBS::AST::Declarations::Module) && d.name.name == :RustyRacer }
    refute_nil mod, "module RustyRacer in #{SIG}"
    mod
  end

  def test_every_signature_is_a_loaded_method_and_back
    mod = declarations
    classes = mod.members.grep(RBS::AST::Declarations::Class)
    functions = mod.members.grep(RBS::AST::Members::MethodDefinition).map(&:name)
    assert_equal functions.sort, RustyRacer.singleton_methods(false).sort
    %w[Isolate Context Script Module JSFunction Snapshot].each do |name|
      decl = classes.find { |c| c.name.name == name.to_sym }
      klass = RustyRacer.const_get(name)
      defs = decl.members.grep(RBS::AST::Members::MethodDefinition)
      instance = defs.select { |d| d.kind == :instance }.map(&:name)
      singleton = defs.select { |d| d.kind == :singleton }.map(&:name)
      assert_equal instance.sort, klass.public_instance_methods(false).sort, name
      assert_equal singleton.sort, klass.singleton_methods(false).sort, name
    end
  end

  def test_every_error_in_the_signature_exists_with_its_parent
    errors = declarations.members.grep(RBS::AST::Declarations::Class).select(&:super_class)
    refute_empty errors
    errors.each do |decl|
      klass = RustyRacer.const_get(decl.name.name)
      parent = decl.super_class.name
      # `::RuntimeError` is Ruby's; a bare name is the module's own (or StandardError).
      expected = if parent.namespace.absolute? || parent.name == :StandardError
                   Object.const_get(parent.name)
                 else
                   RustyRacer.const_get(parent.name)
                 end
      assert_equal expected, klass.superclass, decl.name.name
    end
  end

  # The Ruby-written parts (FileResolver, Pool, the ExecJS runtime, the
  # mini_racer layer) have hand-written signatures: each class there must
  # have exactly the public methods its signature names.
  def test_hand_written_signatures_match_the_ruby_classes
    require "rusty_racer/execjs"
    require "mini_racer"
    checked = []
    Dir[File.join(File.dirname(SIG), "*.rbs")].each do |file|
      next if file == SIG

      RBS::Parser.parse_signature(File.read(file)).each { |decl| check_declaration(decl, [], checked) }
    end
    assert_includes checked, "RustyRacer::Pool"
    assert_includes checked, "MiniRacer::Context"
  end

  def check_declaration(decl, namespace, checked)
    return unless decl.is_a?(RBS::AST::Declarations::Class) || decl.is_a?(RBS::AST::Declarations::Module)

    path = namespace + [decl.name.name.to_s]
    decl.members.each { |member| check_declaration(member, path, checked) }
    klass = path.inject(Object) { |mod, name| mod.const_get(name, false) }
    members = decl.members.select { |m| m.is_a?(RBS::AST::Members::MethodDefinition) || m.is_a?(RBS::AST::Members::AttrReader) }
    return if members.empty? # a namespace or an error class

    instance = members.select { |m| m.kind == :instance }.map(&:name) - [:initialize]
    singleton = members.select { |m| m.kind == :singleton }.map(&:name)
    name = path.join("::")
    assert_equal instance.sort, klass.public_instance_methods(false).sort, name
    assert_equal singleton.sort, klass.singleton_methods(false).sort, "#{name} (singleton)"
    checked << name
  end
end
