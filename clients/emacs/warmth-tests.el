;;; warmth-tests.el --- ERT tests of warmth.el against a real warmthd -*- lexical-binding: t -*-

;;; Commentary:

;; Run by tests/e2e/editors/emacs_test.sh, which starts warmthd with its
;; own temp XDG directories and sets WARMTH_WARMCTL to the warmctl to use:
;;
;;   emacs -batch -l warmth.el -l warmth-tests.el -f ert-run-tests-batch-and-exit
;;
;; Each test drives a command as a user would, waits for its warmctl
;; process, and asks warmctl --json what the daemon recorded.  Every test
;; names contacts of its own, so they share one daemon.

;;; Code:

(require 'cl-lib)
(require 'ert)
(require 'iso8601)
(require 'org)
(require 'warmth)

(setq warmth-warmctl-program
      (or (getenv "WARMTH_WARMCTL") (error "Set WARMTH_WARMCTL to warmctl's path")))

(defun warmth-test--wait (proc)
  "Wait (10 s at most) until warmctl process PROC has been handled."
  (should (processp proc))
  (let ((deadline (+ (float-time) 10)))
    (while (and (not (process-get proc 'warmth-finished)) (< (float-time) deadline))
      (accept-process-output nil 0.05)))
  (should (process-get proc 'warmth-finished))
  proc)

(defun warmth-test--ok (proc)
  "Wait for PROC and check it reported no error."
  (warmth-test--wait proc)
  (should-not (process-get proc 'warmth-error)))

(defun warmth-test--warmctl (&rest args)
  "Run warmctl --json ARGS now; its parsed reply, or fail."
  (with-temp-buffer
    (let ((code (apply #'call-process warmth-warmctl-program nil '(t nil) nil "--json" args)))
      (unless (eq code 0) (error "Warmctl %S exited %s" args code))
      (goto-char (point-min))
      (json-parse-buffer :object-type 'alist :array-type 'list
                         :null-object nil :false-object nil))))

(defun warmth-test--last (contact)
  "The last interaction recorded with CONTACT."
  (car (alist-get 'recent (warmth-test--warmctl "contact" "show" contact))))

(defun warmth-test--seconds-ago (timestamp)
  "How many seconds before now TIMESTAMP (RFC 3339) is."
  (- (float-time) (float-time (encode-time (iso8601-parse timestamp)))))

(ert-deftest warmth-log-email-at-point ()
  "An e-mail address under point is logged now over the channel given."
  (with-temp-buffer
    (insert "Lunch with Dora <dora@example.com> at noon.\n")
    (goto-char (point-min))
    (search-forward "dora@exa")
    (warmth-test--ok (warmth-log "in_person"))
    (let ((event (warmth-test--last "dora@example.com")))
      (should (equal (alist-get 'channel event) "IN_PERSON"))
      (should (equal (alist-get 'contacts event) '("dora@example.com")))
      (should (< (abs (warmth-test--seconds-ago (alist-get 'occurredAt event))) 60)))))

(ert-deftest warmth-log-tel-and-handle-at-point ()
  "A tel: number and an @handle under point are the contacts logged."
  (with-temp-buffer
    (insert "Rang tel:+1 202 555 0142 back; ping @zed_q later.\n")
    (goto-char (point-min))
    (search-forward "555")
    (warmth-test--ok (warmth-log "call"))
    (should (equal (alist-get 'channel (warmth-test--last "+12025550142")) "CALL"))
    (search-forward "@ze")
    (warmth-test--ok (warmth-log "message"))
    (should (equal (alist-get 'channel (warmth-test--last "@zed_q")) "MESSAGE"))))

(ert-deftest warmth-log-org-contacts-properties ()
  "In Org, the heading's EMAIL (else PHONE) property names the contact."
  (with-temp-buffer
    (org-mode)
    (insert "* Erin Fox\n:PROPERTIES:\n:EMAIL: erin@example.com, erin@work.example\n"
            ":PHONE: +1 202 555 0171\n:END:\nTalked about the move.\n"
            "* Ole Berg\n:PROPERTIES:\n:MOBILE: +47 412 34 567\n:END:\nNotes.\n")
    (goto-char (point-min))
    (search-forward "the move")
    (warmth-test--ok (warmth-log "video"))
    (should (equal (alist-get 'channel (warmth-test--last "erin@example.com")) "VIDEO"))
    ;; The property names are the user's to choose.
    (search-forward "Notes")
    (let ((warmth-org-phone-property "MOBILE"))
      (warmth-test--ok (warmth-log "call")))
    (should (equal (alist-get 'contacts (warmth-test--last "+4741234567")) '("+4741234567")))))

(ert-deftest warmth-log-front-matter-with-date ()
  "A note's front matter names the contact, and its date is when it happened."
  (with-temp-buffer
    (insert "---\ntitle: Coffee with Frank\nwarmth: frank@example.com\n"
            "date: \"2026-11-20T18:30:00Z\"\n---\n\nHe starts in March.\n")
    (goto-char (point-max))
    (warmth-test--ok (warmth-log "in_person"))
    (let ((event (warmth-test--last "frank@example.com")))
      (should (equal (alist-get 'channel event) "IN_PERSON"))
      (should (equal (alist-get 'occurredAt event) "2026-11-20T18:30:00Z"))))
  (with-temp-buffer
    ;; phone: gets its tel: prefix; keys other than the configured ones are ignored.
    (insert "---\nphone: +1 202 555 0188\nauthor: me@example.com\n---\nCall notes.\n")
    (warmth-test--ok (warmth-log "call"))
    (let ((event (warmth-test--last "+12025550188")))
      (should (equal (alist-get 'channel event) "CALL"))
      (should (< (abs (warmth-test--seconds-ago (alist-get 'occurredAt event))) 60)))))

(ert-deftest warmth-log-interactive ()
  "M-x reads the channel with completion; C-u asks for the contact too."
  (with-temp-buffer
    (insert "see lena@example.com\n")
    (goto-char 8)
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt collection &rest _)
                 (should (member "letter" collection))
                 "letter"))
              ((symbol-function 'read-string)
               (lambda (prompt &rest _)
                 ;; The contact at point is offered as the default.
                 (should (string-match-p "default lena@example.com" prompt))
                 "lena.b@example.com")))
      (let ((current-prefix-arg '(4)))
        (warmth-test--ok (call-interactively #'warmth-log)))))
  (should (equal (alist-get 'channel (warmth-test--last "lena.b@example.com")) "LETTER")))

(ert-deftest warmth-channels-from-warmctl ()
  "Channel completion offers what warmctl accepts."
  (setq warmth--channels-cache nil)
  (let ((warmth-channels '("not-asked")))
    (should (member "voice_message" (warmth-channels)))
    (should (member "in_person" (warmth-channels)))))

(defun warmth-test--add (id name at)
  "Add a close contact ID called NAME, last met AT."
  (warmth-test--warmctl "contact" "add" id "--name" name "--circle" "close")
  (warmth-test--warmctl "log" id "--channel" "in_person" "--at" at))

(ert-deftest warmth-list-coldest-first-and-show ()
  "*warmth* lists contacts coldest first; RET shows the one on its line."
  (warmth-test--add "gina" "Gina Hart" "20d ago")
  (warmth-test--add "hugo" "Hugo Lind" "2d ago")
  (warmth-test--ok (warmth-list))
  (with-current-buffer "*warmth*"
    (should (derived-mode-p 'special-mode))
    (let ((text (buffer-string)))
      (should (string-match-p "Gina Hart (gina)" text))
      (should (string-match-p "Hugo Lind (hugo)" text))
      (should (< (string-match "Gina Hart" text) (string-match "Hugo Lind" text)))
      ;; Unsorted contacts only with a prefix argument.
      (should-not (string-match-p "dora@example.com" text)))
    (goto-char (point-min))
    (search-forward "Hugo Lind")
    (warmth-test--ok (call-interactively (key-binding (kbd "RET")))))
  (with-current-buffer "*warmth: hugo*"
    (should (string-match-p "Hugo Lind" (buffer-string)))
    (should (string-match-p "circle: +close" (buffer-string)))
    (should (string-match-p "in_person" (buffer-string)))))

(ert-deftest warmth-nudges-and-done ()
  "A pending nudge is listed; d on it records a call and clears it."
  (warmth-test--add "ines" "Ines Roth" "40d ago")
  (warmth-test--ok (warmth-nudges))
  (with-current-buffer "*warmth nudges*"
    (goto-char (point-min))
    (should (search-forward "since you talked with Ines Roth" nil t))
    (beginning-of-line)
    (warmth-test--ok (call-interactively (key-binding (kbd "RET"))))
    (should (string-match-p "Ines Roth" (with-current-buffer "*warmth: ines*" (buffer-string))))
    (warmth-test--ok (call-interactively (key-binding "d"))))
  (with-current-buffer "*Messages*"
    (goto-char (point-max))
    (should (search-backward "Done with ines (1 nudge cleared)" nil t)))
  (should (equal (alist-get 'source (warmth-test--last "ines")) "done"))
  (should (equal (alist-get 'channel (warmth-test--last "ines")) "CALL"))
  (should-not (seq-some (lambda (n) (member "ines" (alist-get 'contactIds n)))
                        (alist-get 'nudges (warmth-test--warmctl "nudges")))))

(ert-deftest warmth-done-contact-at-point ()
  "`warmth-done' on an address under point records a call with it."
  (warmth-test--warmctl "contact" "add" "jon" "--email" "jon@example.com" "--circle" "close")
  (with-temp-buffer
    (insert "Follow up: jon@example.com\n")
    (goto-char (point-max))
    (backward-char 5)
    (warmth-test--ok (warmth-done (warmth-guess-contact))))
  (let ((event (warmth-test--last "jon")))
    (should (equal (alist-get 'source event) "done"))
    (should (equal (alist-get 'channel event) "CALL"))))

(ert-deftest warmth-errors-reach-the-user ()
  "No daemon: warmctl's one line is shown; no contact: a `user-error'."
  (let* ((empty (make-temp-file "warmth-none" t))
         (process-environment (cons (concat "XDG_RUNTIME_DIR=" empty) process-environment)))
    (unwind-protect
        (let ((proc (warmth-test--wait (warmth-log "call" "kim@example.com"))))
          (should (string-match-p "warmthd is not running" (process-get proc 'warmth-error)))
          (with-current-buffer "*Messages*"
            (goto-char (point-max))
            (should (search-backward "warmctl: warmthd is not running" nil t))))
      (delete-directory empty t)))
  (with-temp-buffer
    (insert "nothing to see here\n")
    (should-error (warmth-log "call") :type 'user-error)))

(provide 'warmth-tests)
;;; warmth-tests.el ends here
