# frozen_string_literal: true

require_relative "test_helper"
require "support/loopback_server"

# docs/rails.md shows what the generator writes; these snippets must be exactly what it writes
# (test/support/rails_app.rb ran it), so the guide cannot drift from the gem. The guide's Ruby
# API snippet runs here too, as written, against a stand-in admin port.
class DocsTest < Minitest::Test
  GUIDE = File.expand_path("../../../docs/rails.md", __dir__)
  GENERATED = %w[config/routes.rb config/initializers/parley.rb app/controllers/chat_tokens_controller.rb
                 app/controllers/chat/messages_controller.rb app/views/parley/_widget.html.erb Procfile.dev].freeze
  # A phrase of each snippet that must come from a generated file.
  SNIPPETS = ['post "chat/token"', "chat: bin/parley", "credentials.parley", "filter_parameters",
              "class ChatTokensController", "class MessagesController", "parley_widget rooms:"].freeze

  def self.blocks
    File.read(GUIDE).scan(/^```\w*\n(.*?)^```/m).map(&:first)
  end

  # The guide's code block that contains `phrase`.
  def self.block(phrase)
    blocks.find { |b| b.include?(phrase) } or raise "docs/rails.md has no code block with #{phrase}"
  end

  def blocks
    self.class.blocks
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

  ApiRecord = Struct.new(:id, :name, :tracking_number)

  # Section 8, run as printed: every call reaches the admin port, signed, and the paged history
  # lands in the app's table through the generated model.
  def test_the_server_api_snippet_runs_as_written
    server = LoopbackServer.new
    server.handler = lambda do |req|
      answer = case [req.method, req.path]
               in ["POST", %r{/messages\z}] then { id: "1700000000000-0", ts: 1_700_000_000_000 }
               in ["GET", %r{/presence\z}] then { room: "lobby", members: [] }
               in ["GET", %r{/rooms/lobby/messages\z}]
                 { room: "lobby", messages: [{ id: "1700000000009-0", room: "lobby", text: "from the docs", kind: "system",
                                               user: nil, ts: 1_700_000_000_009 }], complete: true, more: false }
               in ["GET", "/api/v1/dead-letters"] then { messages: [] }
               in ["POST", "/api/v1/dead-letters/replay"] then { replayed: 0 }
               else {}
               end
      [200, { "Content-Type" => "application/json" }, JSON.generate(answer)]
    end
    Parley.config = Parley::Config.new(admin_url: server.url, api_secret: "api-secret-0123456789abcdef01234")
    ChatMessage.delete_all
    order = ApiRecord.new(7, nil, "TRACK-1")
    support_agent = ApiRecord.new(3, "Support")
    user = ApiRecord.new(42, "Ada")
    last_id = "1700000000008-0"
    snippet = self.class.block('Parley.publish("lobby", "Deploy finished")')
    binding.eval(snippet) # with order, support_agent, user and last_id as the guide assumes them

    targets = []
    while (req = begin; server.next_request(timeout: 0.5); rescue RuntimeError; nil; end)
      targets << "#{req.method} #{req.target}"
    end
    assert_equal ["POST /api/v1/rooms/lobby/messages", "POST /api/v1/rooms/order-7/messages", "GET /api/v1/rooms/lobby/presence",
                  "GET /api/v1/rooms/lobby/messages?limit=20",
                  "GET /api/v1/rooms/lobby/messages?since=1700000000008-0&limit=1000", "POST /api/v1/users/42/disconnect",
                  "GET /api/v1/dead-letters", "POST /api/v1/dead-letters/replay"], targets
    assert_equal ["from the docs"], ChatMessage.pluck(:body)
  ensure
    server&.stop
    Parley.reset!(config: true)
  end
end
