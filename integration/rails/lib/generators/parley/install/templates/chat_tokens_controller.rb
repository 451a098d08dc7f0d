# frozen_string_literal: true

# The widget's token endpoint (its data-token-url): a Parley token for the signed-in user, or
# 401 when nobody is signed in. The widget POSTs with the session cookie and the page's CSRF token.
class ChatTokensController < ApplicationController
  include Parley::Rails::TokenEndpoint

  private

  # The rooms this user may join; nil leaves it to Parley's PARLEY_ROOMS_DEFAULT_POLICY (open by
  # default). An entry ending in * is a prefix, for example:
  #   ["lobby"] + current_user.team_ids.map { |id| "team-#{id}:*" }
  def parley_rooms
    nil
  end
end
