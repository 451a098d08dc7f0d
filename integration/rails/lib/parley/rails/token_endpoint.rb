# frozen_string_literal: true

require_relative "../token_issuer"
require_relative "../users"

module Parley
  # The Rails side: controller concerns, the view helper, the Railtie and the test helpers.
  module Rails
    # The endpoint the widget calls (its data-token-url) to get a Parley token for the signed-in
    # user:
    #
    #   class ChatTokensController < ApplicationController
    #     include Parley::Rails::TokenEndpoint
    #   end
    #   # routes.rb
    #   post "/chat/token", to: "chat_tokens#parley_token", as: :chat_token
    #
    # (what `rails generate parley:install` writes).
    # The widget POSTs with the session cookie and the page's CSRF token (X-CSRF-Token, from
    # csrf_meta_tags), so forgery protection can stay on.
    # Answers 200 {"token": "..."} (never cached), or 401 when nobody is signed in. Override the
    # private hooks to shape the token: parley_user_id, parley_user_name, parley_rooms (nil lets
    # Parley's default room policy decide), parley_current_user, parley_token_issuer.
    module TokenEndpoint
      def parley_token
        return head(:unauthorized) if parley_current_user.nil?

        token = parley_token_issuer.issue(user_id: parley_user_id, name: parley_user_name, rooms: parley_rooms)
        # A token is a credential: no browser or proxy cache may keep it.
        response.headers["Cache-Control"] = "no-store"
        render json: { token: token }
      end

      private

      def parley_current_user
        respond_to?(:current_user, true) ? current_user : nil
      end

      def parley_user_id
        parley_current_user.id
      end

      def parley_user_name
        Users.name_of(parley_current_user)
      end

      def parley_rooms
        nil
      end

      def parley_token_issuer
        Parley.token_issuer
      end
    end
  end
end
