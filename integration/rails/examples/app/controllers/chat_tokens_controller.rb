# frozen_string_literal: true

# GET or POST /chat/token => {"token": "..."} for the signed-in user, 401 otherwise.
class ChatTokensController < ApplicationController
  include Parley::Rails::TokenEndpoint

  # Minting a token changes nothing, and another site cannot read the answer (same-origin policy),
  # so a POST from the widget needs no CSRF token.
  skip_forgery_protection only: :parley_token

  private

  # The rooms this user may join; an entry ending in * is a prefix. Return nil to let Parley's
  # default room policy decide. Direct messages (dm:<idA>:<idB>) need no entry.
  def parley_rooms
    ["lobby"] + current_user.team_ids.map { |id| "team-#{id}:*" }
  end
end
