# frozen_string_literal: true

require_relative "test_helper"
require_relative "docs_test"

# The app that `rails generate parley:install` made (test/support/rails_app.rb), driven through
# Rails' own integration-test session: routing, controllers, views, ActiveRecord and SQLite.
# The posts are signed with the gem's test helpers, as an app's own request tests would sign them.
class GeneratedAppTest < ActionDispatch::IntegrationTest
  include ParleyTestHelpers
  include Parley::TestHelpers

  WEBHOOK_SECRET = "webhook-secret-0123456789abcdef0"

  def setup
    Parley.config = Parley::Config.new(jwt_secret: HMAC_SECRET, webhook_secrets: [WEBHOOK_SECRET],
                                       chat_url: "http://chat.example:8080")
    ChatMessage.delete_all
    ChatPresence.delete_all
  end

  def teardown
    Parley.reset!(config: true)
  end

  def sign_in(id)
    get "/login/#{id}"
    assert_response :no_content
  end

  # --- the generator

  def test_the_generator_writes_the_whole_integration_and_a_second_run_changes_nothing
    %w[config/initializers/parley.rb app/controllers/chat_tokens_controller.rb app/controllers/chat/messages_controller.rb
       app/controllers/chat/events_controller.rb app/controllers/chat_controller.rb app/models/chat_message.rb
       app/models/chat_presence.rb app/views/parley/_widget.html.erb app/views/chat/show.html.erb bin/parley
       Procfile.dev].each { |file| assert File.file?(File.join(RailsApp::ROOT, file)), "#{file} was generated" }
    assert File.executable?(File.join(RailsApp::ROOT, "bin/parley"))
    assert_match(/parley:install/, File.read(File.join(RailsApp::ROOT, "config/routes.rb")))
    assert_includes File.read(File.join(RailsApp::ROOT, "app/views/layouts/application.html.erb")), %(<%= render "parley/widget" %>)
    assert_equal "web: bin/rails server -p ${RAILS_PORT:-3000}\nchat: bin/parley\n", File.read(File.join(RailsApp::ROOT, "Procfile.dev"))
    assert_match(/bin\/rails db:migrate/, RailsApp::GENERATOR_OUTPUT, "the checklist is printed")

    before = RailsApp.snapshot
    RailsApp.generate
    assert_equal before, RailsApp.snapshot
  end

  def test_the_migration_is_written_for_the_apps_own_rails
    migration = File.read(Dir[File.join(RailsApp::ROOT, "db/migrate/*_create_parley_tables.rb")].first)
    assert_includes migration, "ActiveRecord::Migration[#{ActiveRecord::VERSION::MAJOR}.#{ActiveRecord::VERSION::MINOR}]"
    assert_includes migration, "def change"
    assert ChatPresence.table_exists?
  end

  def test_an_existing_procfile_gets_only_the_missing_lines
    procfile = File.join(RailsApp::ROOT, "Procfile.dev")
    original = File.read(procfile)
    File.write(procfile, "web: bin/rails server -p 3000\ncss: bin/rails tailwindcss:watch")
    RailsApp.generate
    assert_equal "web: bin/rails server -p 3000\ncss: bin/rails tailwindcss:watch\nchat: bin/parley\n", File.read(procfile)
  ensure
    File.write(procfile, original)
  end

  # --- the token endpoint and the widget

  def test_a_signed_in_user_gets_a_token_and_nobody_else_does
    post "/chat/token", params: { rooms: ["lobby"] }.to_json, headers: { "Content-Type" => "application/json" }
    assert_response :unauthorized

    sign_in(42)
    post "/chat/token", params: { rooms: ["lobby"] }.to_json, headers: { "Content-Type" => "application/json" }
    assert_response :ok
    assert_equal "no-store", response.headers["Cache-Control"]
    claims, = decode(JSON.parse(response.body).fetch("token"))
    assert_equal %w[42 Ada], claims.values_at("sub", "name")
    refute claims.key?("rooms"), "the generated controller leaves rooms to Parley's default policy"
  end

  def test_the_chat_page_has_the_widget_for_a_signed_in_user_only
    get "/chat"
    assert_response :ok
    refute_includes response.body, "parley.js"

    sign_in(7)
    get "/chat"
    script = response.body[/<script[^>]*parley\.js[^>]*>/]
    assert script, response.body
    assert_includes script, %(src="http://chat.example:8080/widget/parley.js")
    assert_includes script, %(data-token-url="/chat/token")
    assert_includes script, %(data-rooms="lobby")
  end

  def test_the_view_helper_takes_the_widgets_options
    sign_in(7)
    view = ApplicationController.new.tap { |c| c.request = ActionDispatch::TestRequest.create }.view_context
    view.controller.define_singleton_method(:current_user) { RailsApp::USERS["7"] }
    html = view.parley_widget(rooms: ["lobby", "team-7:general=Team"], title: "Support", open: true, token_url: "/t")
    assert_includes html, %(data-rooms="lobby,team-7:general=Team")
    assert_includes html, %(data-title="Support")
    assert_includes html, %(data-open="true")
    assert_includes html, %(data-token-url="/t")
  end

  # --- the history endpoint

  def test_history_is_stored_once_however_often_it_arrives
    batch = { messages: [parley_message(room: "lobby", text: "hello", id: "1700000000123-0", ts: 1_700_000_000_123,
                                        meta: { "order" => 7 }),
                         parley_message(room: "lobby", text: "system note", user: nil, id: "1700000000123-1")] }
    2.times do
      parley_post "/chat/messages", batch
      assert_response :no_content
    end
    assert_equal 2, ChatMessage.count

    stored = ChatMessage.find_by!(parley_id: "1700000000123-0")
    assert_equal ["lobby", "42", "Ada", "user", "hello", { "order" => 7 }],
                 [stored.room, stored.user_id, stored.user_name, stored.kind, stored.body, stored.meta]
    assert_equal Time.at(Rational(1_700_000_000_123, 1000)).utc, stored.sent_at
    assert stored.created_at, "timestamps are filled (insert_all on Rails 6.1 does not)"
    system = ChatMessage.find_by!(parley_id: "1700000000123-1")
    assert_equal [nil, "system"], [system.user_id, system.kind]
  end

  def test_an_empty_batch_is_acknowledged
    parley_post "/chat/messages", { messages: [] }
    assert_response :no_content
  end

  def test_unsigned_or_wrongly_signed_history_is_refused_and_not_stored
    body = { messages: [parley_message(room: "lobby", text: "forged")] }.to_json
    log = app_log do
      post "/chat/messages", params: body, headers: { "Content-Type" => "application/json" }
      assert_response :unauthorized
      parley_post "/chat/messages", body, secret: "another-secret-0123456789abcdef0"
      assert_response :unauthorized
    end
    assert_equal 0, ChatMessage.count
    assert_match(/Parley signature refused \(missing\)/, log)
    assert_match(/Parley signature refused \(mismatch\)/, log)
    refute_includes log, "forged"
  end

  def test_unreadable_history_is_a_400_that_says_why_without_the_body
    log = app_log do
      parley_post "/chat/messages", "not json"
      assert_response :bad_request
      parley_post "/chat/messages", { messages: [{ id: "1-0", room: "lobby" }] }
      assert_response :bad_request
      parley_post "/chat/messages", { messages: [{ id: "1-0", room: "lobby", text: "secret text" }] }
      assert_response :bad_request
      parley_post "/chat/messages", { messages: ["a string"] }
      assert_response :bad_request
    end
    assert_equal 0, ChatMessage.count
    assert_equal 4, log.scan("Parley history batch refused").size, log
    assert_match(/key not found: "ts"/, log)
    assert_match(/a message is not an object/, log)
    assert_match(/key not found: "text"/, log)
    refute_includes log, "secret text"
  end

  # --- the events endpoint

  def test_events_track_who_is_online
    parley_post "/chat/events", { events: [parley_event("room_occupied", room: "lobby", ts: 1000),
                                           parley_event("member_added", room: "lobby", user: RailsApp::USERS["42"], ts: 1000)] }
    assert_response :no_content
    row = ChatPresence.find_by!(room: "lobby", user_id: "42")
    assert_equal [true, "Ada"], [row.online, row.user_name]
    assert_equal 1, ChatPresence.online.count

    parley_post "/chat/events", { events: [parley_event("member_removed", room: "lobby", user: RailsApp::USERS["42"], ts: 2000)] }
    assert_response :no_content
    assert_equal 1, ChatPresence.count
    assert_equal 0, ChatPresence.online.count
  end

  def test_a_redelivered_older_event_does_not_undo_a_newer_one
    ada = RailsApp::USERS["42"]
    parley_post "/chat/events", { events: [parley_event("member_added", room: "lobby", user: ada, ts: 1000),
                                           parley_event("member_removed", room: "lobby", user: ada, ts: 2000)] }
    parley_post "/chat/events", { events: [parley_event("member_added", room: "lobby", user: ada, ts: 1000)] }
    row = ChatPresence.find_by!(room: "lobby", user_id: "42")
    refute row.online
    assert_equal Time.at(2).utc, row.changed_at
  end

  def test_unsigned_events_are_refused
    post "/chat/events", params: { events: [parley_event("member_added", room: "lobby", user: RailsApp::USERS["42"])] }.to_json,
                         headers: { "Content-Type" => "application/json" }
    assert_response :unauthorized
    assert_equal 0, ChatPresence.count
  end

  # The guide's "Test your integration" snippet (section 11), run as printed.
  def test_the_guides_test_helper_snippet_runs_as_written
    setup_part, test_part = DocsTest.block("parley_post").split("# a test\n")
    TOPLEVEL_BINDING.eval(setup_part)
    instance_eval(test_part)
    assert_equal ["hi"], ChatMessage.pluck(:body)
    assert ChatPresence.online.exists?(user_name: "Ada")
  end

  # The fixtures accessor the guide's snippet assumes.
  def users(name)
    { ada: RailsApp::USERS["42"] }.fetch(name)
  end
end
