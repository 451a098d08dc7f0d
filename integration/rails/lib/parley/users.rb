# frozen_string_literal: true

module Parley
  # How the gem reads "a user" wherever it takes one (a token, a publish, a disconnect): an
  # ActiveRecord model or any object with #id, a Hash with :id/"id", or a bare id.
  module Users
    NAME_LIMIT = 64
    NAME_ATTRIBUTES = %i[name display_name username].freeze

    module_function

    # The user's id as Parley sees it: a string.
    def id_of(user)
      id = user.is_a?(Hash) ? (user[:id] || user["id"]) : (user.respond_to?(:id) ? user.id : user)
      raise ArgumentError, "a user needs an id" if id.nil? || id.to_s.strip.empty?

      id.to_s
    end

    # The display name: a Hash's :name, else the object's name, display_name or username; at
    # most 64 characters (Parley's limit); nil when there is none.
    def name_of(user)
      name = if user.is_a?(Hash)
               user[:name] || user["name"]
             else
               attribute = NAME_ATTRIBUTES.find { |attr| user.respond_to?(attr) }
               attribute && user.public_send(attribute)
             end
      name.nil? || name.to_s.empty? ? nil : name.to_s[0, NAME_LIMIT]
    end

    # The `user` object of the wire format: {"id" => "42", "name" => "Ada"} (no name when none).
    def wire(user)
      { "id" => id_of(user), "name" => name_of(user) }.compact
    end
  end
end
