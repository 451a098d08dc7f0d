# frozen_string_literal: true

# A page to chat on. The widget itself is in the layout (app/views/parley/_widget.html.erb), so
# every page has it; this one is the place to start.
class ChatController < ApplicationController
  def show; end
end
