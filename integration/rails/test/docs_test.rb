# frozen_string_literal: true

require_relative "test_helper"

# docs/rails.md shows what the generator writes; these snippets must be exactly what it writes
# (test/support/rails_app.rb ran it), so the guide cannot drift from the gem.
class DocsTest < Minitest::Test
  GUIDE = File.expand_path("../../../docs/rails.md", __dir__)
  GENERATED = %w[config/routes.rb config/initializers/parley.rb app/controllers/chat_tokens_controller.rb
                 app/controllers/chat/messages_controller.rb app/views/parley/_widget.html.erb Procfile.dev].freeze
  # A phrase of each snippet that must come from a generated file.
  SNIPPETS = ['post "chat/token"', "chat: bin/parley", "credentials.parley", "filter_parameters",
              "class ChatTokensController", "class MessagesController", "parley_widget rooms:"].freeze

  def blocks
    File.read(GUIDE).scan(/^```\w*\n(.*?)^```/m).map(&:first)
  end

  # Lines without their common indentation, blank lines dropped: a snippet may be shown unindented.
  def normalize(text)
    lines = text.lines.map(&:rstrip).reject(&:empty?)
    indent = lines.map { |l| l[/\A */].size }.min || 0
    lines.map { |l| l[indent..] }
  end

  def test_the_generated_snippets_are_what_the_generator_writes
    files = GENERATED.map { |f| normalize(File.read(File.join(RailsApp::ROOT, f))) }
    SNIPPETS.each do |phrase|
      block = blocks.find { |b| b.include?(phrase) }
      assert block, "docs/rails.md shows #{phrase}"
      wanted = normalize(block)
      found = files.any? do |lines|
        lines.map(&:strip).each_cons(wanted.size).any? { |window| window == wanted.map(&:strip) }
      end
      assert found, "docs/rails.md shows this as generated, but no generated file has it:\n#{block}"
    end
  end
end
