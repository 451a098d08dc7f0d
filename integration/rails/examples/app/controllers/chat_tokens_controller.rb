# frozen_string_literal: true

# POST /chat/token => {"token": "..."} for the signed-in user, 401 otherwise.
#
# The widget POSTs here with the session cookie and, from the page's csrf_meta_tags, the
# X-CSRF-Token header, so Rails' forgery protection stays on.
class ChatTokensController < ApplicationController
  include Parley::Rails::TokenEndpoint

  private

  # The rooms this user may join; an entry ending in * is a prefix. Return nil to let Parley's
  # default room policy decide. Direct messages (dm:<idA>:<idB>) need no entry.
  def parley_rooms
    ["lobby"] + current_user.team_ids.map { |id| "team-#{id}:*" }
  end
end
