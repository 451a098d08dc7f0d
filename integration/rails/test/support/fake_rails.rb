# frozen_string_literal: true

# The slice of Rails that the kit's concerns and the example app touch, and nothing more: a
# controller with before_action, request/response, head and render, and a record class with
# upsert_all and find_or_initialize_by over an in-memory table. It lets the unit tests run the
# concerns and the examples exactly as written, without Rails.
module FakeRails
  STATUS = { ok: 200, created: 201, no_content: 204, bad_request: 400, unauthorized: 401,
             unprocessable_entity: 422, internal_server_error: 500 }.freeze

  Request = Struct.new(:method, :fullpath, :raw_post, :headers, keyword_init: true) do
    def path
      fullpath.split("?", 2).first
    end
  end

  Response = Struct.new(:headers)

  # Collects log lines so tests can check what a failure logs (and what it must not).
  class Logger
    attr_reader :lines

    def initialize
      @lines = []
    end

    %i[debug info warn error].each { |level| define_method(level) { |msg| @lines << "#{level}: #{msg}" } }
  end

  # Builds a request as Rails would present it: method, request target and raw body.
  def self.request(method, fullpath, body = "", headers = {})
    Request.new(method: method, fullpath: fullpath, raw_post: body, headers: headers)
  end
end

module ActionController
  class API
    def self.before_action(*names)
      own_before_actions.concat(names)
    end

    def self.own_before_actions
      @own_before_actions ||= []
    end

    def self.before_actions
      inherited = superclass.respond_to?(:before_actions) ? superclass.before_actions : []
      inherited + own_before_actions
    end

    # Runs the before_actions, stopping at the first that renders or heads (as Rails does), then
    # the action; returns the controller for inspection.
    def self.dispatch(action, request)
      controller = new(request)
      controller.class.before_actions.each do |callback|
        controller.send(callback)
        return controller if controller.performed?
      end
      controller.public_send(action)
      controller
    end

    attr_reader :request, :response, :status, :body, :logger

    def initialize(request)
      @request = request
      @response = FakeRails::Response.new({})
      @logger = FakeRails::Logger.new
    end

    def head(status)
      @status = FakeRails::STATUS.fetch(status, status)
      @body = ""
    end

    def render(json:, status: :ok)
      @status = FakeRails::STATUS.fetch(status, status)
      @body = json.is_a?(String) ? json : JSON.generate(json)
    end

    def performed?
      !@status.nil?
    end

    def json
      JSON.parse(@body)
    end
  end

  class Base < API; end
end

# An in-memory table per model class; enough for the example models.
class ApplicationRecord
  def self.rows
    @rows ||= []
  end

  def self.upsert_all(new_rows, unique_by:)
    keys = Array(unique_by)
    new_rows.each do |row|
      existing = rows.find { |r| keys.all? { |k| r[k] == row[k] } }
      existing ? existing.merge!(row) : rows << row.dup
    end
  end

  def self.find_or_initialize_by(attrs)
    row = rows.find { |r| attrs.all? { |k, v| r[k] == v } }
    new(row || attrs.dup, persisted: !row.nil?)
  end

  def self.count
    rows.size
  end

  def initialize(attrs, persisted: false)
    @attrs = attrs
    @persisted = persisted
  end

  def update!(changes)
    @attrs.merge!(changes)
    self.class.rows << @attrs unless @persisted
    @persisted = true
  end

  def respond_to_missing?(name, include_private = false)
    @attrs.key?(name) || super
  end

  def method_missing(name, *args)
    return @attrs[name] if args.empty? && @attrs.key?(name)
    return nil if args.empty? && name.to_s.match?(/\A[a-z_]+\z/) # an unset column reads as nil

    super
  end
end
