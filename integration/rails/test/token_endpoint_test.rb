# frozen_string_literal: true

require_relative "test_helper"

class TokenEndpointTest < Minitest::Test
  include ParleyTestHelpers

  User = Struct.new(:id, :name)

  # A controller as an app writes it, with the signed-in user injected by the test.
  class TokensController < ActionController::Base
    include Parley::Rails::TokenEndpoint

    class << self
      attr_accessor :user
    end

    def current_user
      TokensController.user
    end
  end

  class ShapedTokensController < TokensController
    private

    def parley_user_id
      "member-#{current_user.id}"
    end

    def parley_user_name
      current_user.name.upcase
    end

    def parley_rooms
      ["lobby", "team-#{current_user.id}:*"]
    end
  end

  # A controller without any notion of a signed-in user.
  class AnonymousController < ActionController::API
    include Parley::Rails::TokenEndpoint
  end

  def setup
    Parley.config = Parley::Config.new(jwt_secret: HMAC_SECRET, jwt_audience: "parley")
  end

  def teardown
    Parley.reset!(config: true)
    TokensController.user = nil
  end

  Answer = Struct.new(:status, :headers, :body) do
    def json
      JSON.parse(body)
    end
  end

  def call(controller_class)
    Answer.new(*dispatch(controller_class, :parley_token, target: "/chat/token"))
  end

  def test_renders_a_token_for_the_current_user
    TokensController.user = User.new(42, "Ada")
    controller = call(TokensController)
    assert_equal 200, controller.status
    assert_equal ["token"], controller.json.keys
    claims, = decode(controller.json["token"], HMAC_SECRET, "HS256", aud: "parley", verify_aud: true)
    assert_equal "42", claims["sub"]
    assert_equal "Ada", claims["name"]
    refute claims.key?("rooms")
  end

  def test_the_token_is_never_cached
    TokensController.user = User.new(42, "Ada")
    assert_equal "no-store", call(TokensController).headers["Cache-Control"]
  end

  def test_hooks_shape_the_claims
    TokensController.user = User.new(7, "Bo")
    claims, = decode(call(ShapedTokensController).json["token"])
    assert_equal "member-7", claims["sub"]
    assert_equal "BO", claims["name"]
    assert_equal ["lobby", "team-7:*"], claims["rooms"]
  end

  def test_users_without_a_name_get_a_token_without_one
    TokensController.user = Struct.new(:id).new(5)
    claims, = decode(call(TokensController).json["token"])
    assert_equal "5", claims["sub"]
    refute claims.key?("name")
  end

  def test_nobody_signed_in_gets_401
    answer = call(TokensController)
    assert_equal 401, answer.status
    assert_equal "", answer.body
  end

  def test_a_controller_without_current_user_gets_401
    assert_equal 401, call(AnonymousController).status
  end

  def test_hooks_are_not_actions
    public_methods = Parley::Rails::TokenEndpoint.public_instance_methods
    assert_equal [:parley_token], public_methods
  end
end
