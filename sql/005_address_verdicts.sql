-- Two address verdicts the USPS answer defines (clients/address.h): 'undeliverable' (DPV N: the
-- service knows the address, mail is not delivered there) and 'refused' (the service refused the
-- request). 'corrected' now means the standard form differs from the entry, whichever of the two
-- the partner kept (address_choice says which).
ALTER TABLE csp_applications MODIFY address_verdict
  ENUM('not_checked','verified','corrected','needs_unit','ambiguous','not_found','unverified',
       'undeliverable','refused') NOT NULL DEFAULT 'not_checked';
