# frozen_string_literal: true

# config/routes.rb (the Parley part)
Rails.application.routes.draw do
  # The widget's data-token-url: it POSTs here for a token for the signed-in user.
  post "/chat/token", to: "chat_tokens#parley_token", as: :chat_token, defaults: { format: :json }

  # Parley's signed posts (protocol section 3): the history and the room/presence events.
  namespace :chat do
    post "messages", to: "messages#create"
    post "events", to: "events#create"
  end
end
