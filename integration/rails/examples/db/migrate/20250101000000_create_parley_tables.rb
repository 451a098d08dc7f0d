# frozen_string_literal: true

# The tables behind the example history and events controllers.
class CreateParleyTables < ActiveRecord::Migration[7.1]
  def change
    create_table :chat_messages do |t|
      t.string :parley_id, null: false # Parley's message id: unique cluster-wide, the dedup key
      t.string :room, null: false
      t.string :user_id                # null for system messages
      t.string :user_name
      t.string :kind, null: false, default: "user"
      t.text :body, null: false
      t.json :meta
      t.datetime :sent_at, null: false, precision: 3
      t.timestamps
    end
    add_index :chat_messages, :parley_id, unique: true
    add_index :chat_messages, %i[room sent_at]

    create_table :chat_presences do |t|
      t.string :room, null: false
      t.string :user_id, null: false
      t.string :user_name
      t.boolean :online, null: false, default: false
      t.datetime :changed_at, null: false, precision: 3
      t.timestamps
    end
    add_index :chat_presences, %i[room user_id], unique: true
  end
end
