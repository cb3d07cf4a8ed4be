-- 070_poll_rooms.sql — live polls in a real room: what keeps one machine
-- from voting for a hall, and word clouds that show what people typed.
--   polls.shared_network  the organiser says that many participants share
--                         one internet connection (the venue's Wi-Fi), so
--                         one network may give as many answers as a hall
--   polls.hall_net        the network the presenter's screen was last
--                         opened from (a keyed hash, never the address):
--                         that network is the hall
--   poll_nets             per question and network (keyed hash of the
--                         client's IPv4 address or IPv6 /64): how many
--                         participants answered; a new participant beyond
--                         the network's allowance is refused
--   poll_word_forms       per word-cloud entry (its key: the words' stems)
--                         how often each spelling was typed; the cloud
--                         shows the most frequent one (of equals, the first)
ALTER TABLE polls ADD COLUMN shared_network INTEGER NOT NULL DEFAULT 0;
ALTER TABLE polls ADD COLUMN hall_net TEXT;

CREATE TABLE poll_nets (
  question_id INTEGER NOT NULL REFERENCES poll_questions(id) ON DELETE CASCADE,
  net         TEXT NOT NULL,
  n           BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (question_id, net)
);

CREATE TABLE poll_word_forms (
  question_id INTEGER NOT NULL REFERENCES poll_questions(id) ON DELETE CASCADE,
  item        TEXT NOT NULL,
  form        TEXT NOT NULL,
  n           BIGINT NOT NULL DEFAULT 0,
  first_seq   BIGINT NOT NULL, -- the order spellings first came in, per question
  PRIMARY KEY (question_id, item, form)
);
