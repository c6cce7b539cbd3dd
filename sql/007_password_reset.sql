-- Password reset by email (issue 10): a third purpose of the one-time tokens, valid 1 h
-- (RESET_TOKEN_SECONDS); a newer request marks the user's older reset tokens used.
ALTER TABLE email_tokens MODIFY purpose
  ENUM('verify_email','set_password','reset_password') NOT NULL;
