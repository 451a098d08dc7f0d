# frozen_string_literal: true

module Parley
  module Rails
    # `parley_widget`, available in every view (the Railtie includes it): the widget's script tag,
    # or nothing when nobody is signed in.
    #
    #   <%= parley_widget rooms: %w[lobby team-7:general] %>
    #
    # Options: `rooms` (names, or "name=Label"), `token_url` (default: the app's chat_token_path),
    # and any of the widget's data attributes in snake case (`title:`, `mode:`, `open:`,
    # `position:`, `locale:` ... see docs/widget.md). The script comes from Parley itself
    # (Parley.config.chat_url + /widget/parley.js), so the widget and the server always match.
    module ViewHelper
      def parley_widget(rooms:, token_url: nil, **data)
        return nil if parley_widget_user.nil?

        chat_url = Parley.config.chat_url.to_s.chomp("/")
        raise ConfigError, "#{Config.env_name(:chat_url)} is required to render the chat widget" if chat_url.empty?

        attributes = { "data-token-url" => token_url || main_app.chat_token_path, "data-rooms" => Array(rooms).join(",") }
        data.each { |name, value| attributes["data-#{name.to_s.tr('_', '-')}"] = value.to_s }
        tag.script(nil, src: "#{chat_url}/widget/parley.js", async: true, **attributes)
      end

      private

      # The signed-in user as the app's controller knows it (current_user, as Devise and most
      # authentication code define it); override to use something else.
      def parley_widget_user
        controller.respond_to?(:current_user, true) ? controller.send(:current_user) : nil
      end
    end
  end
end
