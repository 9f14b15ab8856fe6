;;; warmth.el --- Log calls and meetings to warmth from Emacs -*- lexical-binding: t -*-

;; Author: the warmth authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: convenience, comm

;; This file is not part of GNU Emacs.

;;; Commentary:

;; warmth keeps a warmth score per contact and nudges you when someone
;; cools.  This package talks to the daemon through `warmctl --json',
;; asynchronously, so Emacs never waits for it.
;;
;;   M-x warmth-log     record an interaction with the contact at point
;;   M-x warmth-list    the coldest contacts in *warmth* (RET shows one)
;;   M-x warmth-nudges  pending nudges (RET shows the contact, d: done)
;;   M-x warmth-done    you called: record it and clear the nudges
;;
;; The contact is found, in this order:
;;
;; - under point: an e-mail address, a `tel:' number or an `@handle';
;; - in Org, the properties of the current heading named by
;;   `warmth-org-email-property' and `warmth-org-phone-property'
;;   (EMAIL and PHONE, as org-contacts writes them);
;; - in the note's YAML front matter (a first line "---"), the keys in
;;   `warmth-front-matter-keys' (warmth:, email:, phone:).
;;
;; With a prefix argument `warmth-log' and `warmth-done' always ask for
;; the contact, offering the one found as the default.  When the front
;; matter has a `date:' key (`warmth-front-matter-date-key'),
;; `warmth-log' records the interaction at that time.
;;
;; warmctl is `warmth-warmctl-program'; options for it every time (say
;; "--config" and a file) go in `warmth-warmctl-arguments'.  Its errors
;; (for example that warmthd is not running) are shown in the echo area.

;;; Code:

(require 'seq)
(require 'subr-x)
(require 'tabulated-list)
(require 'thingatpt)

(declare-function org-entry-get "org"
                  (pom property &optional inherit literal-nil))
(declare-function org-before-first-heading-p "org" ())

(defgroup warmth nil
  "Log interactions to the warmth daemon and act on its nudges."
  :group 'comm
  :prefix "warmth-")

(defcustom warmth-warmctl-program "warmctl"
  "The warmctl program: a name on variable `exec-path' or a file name."
  :type 'string)

(defcustom warmth-warmctl-arguments nil
  "Arguments given to warmctl before each command, e.g. (\"--config\" FILE)."
  :type '(repeat string))

(defcustom warmth-default-channel "call"
  "The channel `warmth-log' offers first."
  :type 'string)

(defcustom warmth-channels
  '("in_person" "call" "video" "voice_message" "letter" "message" "email" "social")
  "Channels offered when warmctl cannot be asked for its own."
  :type '(repeat string))

(defcustom warmth-org-email-property "EMAIL"
  "The Org property holding a contact's e-mail address."
  :type 'string)

(defcustom warmth-org-phone-property "PHONE"
  "The Org property holding a contact's phone number."
  :type 'string)

(defcustom warmth-front-matter-keys
  '(("warmth" . id) ("email" . email) ("phone" . phone))
  "Front matter keys naming the contact, tried in order.
Each entry is (KEY . KIND); KIND is `id' (a contact id or any
identifier), `email' or `phone' (a number gets \"tel:\" in front)."
  :type '(alist :key-type string
                :value-type (choice (const id) (const email) (const phone))))

(defcustom warmth-front-matter-date-key "date"
  "Front matter key whose value `warmth-log' passes as --at; nil: none."
  :type '(choice string (const nil)))

(defcustom warmth-list-limit 0
  "At most this many contacts in `warmth-list'; 0: all."
  :type 'integer)

(defvar warmth--channels-cache nil
  "The channels warmctl accepts, once asked.")

;;;; Running warmctl

(defun warmth--stderr-text (buffer)
  "The last non-empty line in BUFFER, or nil."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      (let ((lines (split-string (buffer-string) "\n" t "[ \t]+")))
        (car (last lines))))))

(defun warmth--finish (proc on-success)
  "Handle the end of warmctl process PROC; call ON-SUCCESS with its JSON."
  (let ((out (process-buffer proc))
        (err (process-get proc 'warmth-stderr))
        (code (process-exit-status proc)))
    ;; stderr arrives through a pipe process of its own, which closes
    ;; once it has read everything: wait for that (1 s at most).
    (let ((errproc (and err (get-buffer-process err)))
          (deadline (+ (float-time) 1)))
      (while (and errproc (process-live-p errproc) (< (float-time) deadline))
        (accept-process-output errproc 0.05)))
    (unwind-protect
        (if (and (eq (process-status proc) 'exit) (= code 0))
            (let ((json (with-current-buffer out
                          (goto-char (point-min))
                          (if (eobp)
                              nil
                            (json-parse-buffer :object-type 'alist
                                               :array-type 'list
                                               :null-object nil
                                               :false-object nil)))))
              (funcall on-success json))
          (let ((text (or (warmth--stderr-text err)
                          (format "warmctl exited with %s" code))))
            (process-put proc 'warmth-error text)
            (message "%s" text)))
      (process-put proc 'warmth-finished t)
      (when (buffer-live-p out) (kill-buffer out))
      (when (buffer-live-p err) (kill-buffer err)))))

(defun warmth--run (args on-success)
  "Run warmctl --json with ARGS; call ON-SUCCESS with the parsed reply.
The reply is an alist (objects) of lists (arrays).  On failure the
last line warmctl wrote to stderr is shown with `message'.  Returns
the process; its property `warmth-finished' is t once done and
`warmth-error' holds the message shown, if any."
  (unless (executable-find warmth-warmctl-program)
    (user-error "Cannot find warmctl (%s); set `warmth-warmctl-program'"
                warmth-warmctl-program))
  (let* ((out (generate-new-buffer " *warmctl*"))
         (err (generate-new-buffer " *warmctl-stderr*"))
         (proc (make-process
                :name "warmctl"
                :buffer out
                :stderr err
                :command (append (list warmth-warmctl-program)
                                 warmth-warmctl-arguments
                                 (list "--json")
                                 args)
                :connection-type 'pipe
                :noquery t
                :sentinel (lambda (proc _event)
                            (unless (process-live-p proc)
                              (warmth--finish proc on-success))))))
    (process-put proc 'warmth-stderr err)
    (set-process-query-on-exit-flag (get-buffer-process err) nil)
    proc))

(defun warmth-channels ()
  "The channels warmctl accepts, read once from `warmctl log --help'."
  (or warmth--channels-cache
      (setq warmth--channels-cache
            (or (ignore-errors
                  (let ((help (mapconcat #'identity
                                         (apply #'process-lines warmth-warmctl-program
                                                (append warmth-warmctl-arguments
                                                        '("log" "--help")))
                                         "\n")))
                    (when (string-match "--channel [^ \n]*[ \t]+\\([a-z_, ]+\\)$" help)
                      (split-string (match-string 1 help) "[, ]+" t))))
                warmth-channels))))

;;;; Finding the contact

(defun warmth--tel-at-point ()
  "A `tel:' number around point, or nil."
  (when (thing-at-point-looking-at "tel:[+0-9][-0-9 ()./]*[0-9]" 40)
    (match-string-no-properties 0)))

(defun warmth--handle-at-point ()
  "An @handle around point, or nil."
  (when (thing-at-point-looking-at "@[[:alnum:]_][[:alnum:]_.-]*[[:alnum:]_]\\|@[[:alnum:]_]" 80)
    (match-string-no-properties 0)))

(defun warmth-contact-at-point ()
  "The e-mail address, `tel:' number or @handle at point, or nil."
  (or (warmth--tel-at-point)
      (when-let ((mail (thing-at-point 'email t)))
        (string-trim mail "<" ">"))
      (warmth--handle-at-point)))

(defun warmth--phone (number)
  "NUMBER as a phone identifier: with \"tel:\" in front."
  (if (string-prefix-p "tel:" number t) number (concat "tel:" number)))

(defun warmth--first-value (value)
  "The first of the values in VALUE, a property holding one or more."
  (when value
    (car (split-string value "[,;]+" t "[ \t]+"))))

(defun warmth-org-contact ()
  "The contact in the current Org heading's properties, or nil."
  (when (and (derived-mode-p 'org-mode) (not (org-before-first-heading-p)))
    (let ((mail (warmth--first-value (org-entry-get nil warmth-org-email-property)))
          (phone (warmth--first-value (org-entry-get nil warmth-org-phone-property))))
      (cond (mail mail)
            (phone (warmth--phone phone))))))

(defun warmth-front-matter ()
  "The YAML front matter at the start of the buffer as an alist, or nil.
Only simple `key: value' lines are read; quotes around values go."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (when (looking-at "---[ \t]*$")
        (forward-line 1)
        (let ((start (point)) end fields)
          (when (re-search-forward "^\\(---\\|\\.\\.\\.\\)[ \t]*$" nil t)
            (setq end (match-beginning 0))
            (goto-char start)
            (while (re-search-forward
                    "^\\([A-Za-z_][A-Za-z0-9_-]*\\):[ \t]*\\(.*?\\)[ \t]*$" end t)
              (let ((key (match-string-no-properties 1))
                    (value (match-string-no-properties 2)))
                (when (string-match "\\`\\([\"']\\)\\(.*\\)\\1\\'" value)
                  (setq value (match-string 2 value)))
                (unless (string-empty-p value)
                  (push (cons key value) fields))))
            (nreverse fields)))))))

(defun warmth-front-matter-contact ()
  "The contact named in the front matter, or nil."
  (let ((fields (warmth-front-matter)))
    (seq-some (lambda (entry)
                (when-let ((value (cdr (assoc (car entry) fields))))
                  (if (eq (cdr entry) 'phone) (warmth--phone value) value)))
              warmth-front-matter-keys)))

(defun warmth-front-matter-date ()
  "The front matter's date (`warmth-front-matter-date-key'), or nil."
  (when warmth-front-matter-date-key
    (cdr (assoc warmth-front-matter-date-key (warmth-front-matter)))))

(defun warmth-guess-contact ()
  "The contact at point, in the Org heading or in the front matter, or nil."
  (or (warmth-contact-at-point)
      (warmth-org-contact)
      (warmth-front-matter-contact)))

(defun warmth--read-contact (prompt force)
  "The contact found here, or one read with PROMPT.
With FORCE non-nil, ask even when one is found, offering it as default."
  (let ((guess (warmth-guess-contact)))
    (if (and guess (not force))
        guess
      (let ((answer (read-string (if guess (format "%s (default %s): " prompt guess)
                                   (format "%s: " prompt))
                                 nil nil guess)))
        (when (string-empty-p answer)
          (user-error "No contact given"))
        answer))))

;;;; Commands

(defun warmth-log (channel &optional contact at)
  "Record an interaction over CHANNEL with CONTACT, now or AT.
Interactively, read CHANNEL with completion (default
`warmth-default-channel').  CONTACT nil means the one at point, in
the Org heading or in the front matter (see `warmth-guess-contact');
with a prefix argument it is always read.  AT nil means the front
matter's date if it has one, else now.  Returns the warmctl process."
  (interactive
   (list (completing-read (format "Channel (default %s): " warmth-default-channel)
                          (warmth-channels) nil t nil nil warmth-default-channel)
         (warmth--read-contact "Contact" current-prefix-arg)))
  (let ((contact (or contact (warmth-guess-contact)
                     (user-error "No contact at point, in the Org heading or in the front matter")))
        (at (or at (warmth-front-matter-date)))
        (channel (if (or (null channel) (string-empty-p channel))
                     warmth-default-channel
                   channel)))
    (warmth--run (append (list "log" contact "--channel" channel)
                         (when at (list "--at" at)))
                 (lambda (reply)
                   (let* ((item (car (alist-get 'items reply)))
                          (outcome (alist-get 'outcome item)))
                     (if (equal outcome "ACCEPTED")
                         (message "Logged %s with %s%s" channel contact
                                  (if at (format " at %s" at) ""))
                       (message "Not recorded (%s%s): %s with %s"
                                (or outcome "no reply")
                                (let ((reason (alist-get 'reason item)))
                                  (if (member reason '(nil "")) "" (concat ", " reason)))
                                channel contact)))))))

(defun warmth-done (contact &optional channel)
  "You called CONTACT (or met over CHANNEL): record it, clear the nudges.
Interactively CONTACT is the nudge's at point in `warmth-nudges', or
the one found as `warmth-log' finds it, or read (always with a prefix
argument).  CONTACT may also be (:nudge ID): that nudge only.
Returns the warmctl process."
  (interactive
   (list (or (and (derived-mode-p 'warmth-nudges-mode) (not current-prefix-arg)
                  (tabulated-list-get-id)
                  (list :nudge (tabulated-list-get-id)))
             (warmth--read-contact "Done with" current-prefix-arg))))
  (let* ((nudge (and (consp contact) (eq (car contact) :nudge) (cadr contact)))
         (args (if nudge (list "done" "--nudge" nudge) (list "done" contact)))
         (name (if nudge (or (warmth--nudge-contact) nudge) contact))
         (buffer (current-buffer)))
    (warmth--run (append args (when channel (list "--channel" channel)))
                 (lambda (reply)
                   (let ((cleared (length (alist-get 'nudgeIds reply))))
                     (message "Done with %s (%d nudge%s cleared)" name cleared
                              (if (= cleared 1) "" "s")))
                   (when (and (buffer-live-p buffer)
                              (with-current-buffer buffer
                                (derived-mode-p 'warmth-nudges-mode)))
                     (with-current-buffer buffer (warmth--refresh-nudges)))))))

;;;; The list of contacts

(defun warmth--name (contact)
  "How CONTACT (a reply's `contact' object) is shown."
  (let ((id (alist-get 'id contact))
        (name (alist-get 'displayName contact)))
    (if (or (null name) (string-empty-p name)) id (format "%s (%s)" name id))))

(defun warmth--enum (value)
  "The protobuf enum VALUE in lower case, empty when unspecified."
  (if (or (null value) (string-suffix-p "_UNSPECIFIED" value)) "" (downcase value)))

(defun warmth--day (timestamp)
  "The date part of TIMESTAMP (RFC 3339), or an empty string."
  (if timestamp (substring timestamp 0 (min 10 (length timestamp))) ""))

(defvar warmth-list-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "RET") #'warmth-show-contact)
    (define-key map "l" #'warmth-list-log)
    (define-key map "d" #'warmth-list-done)
    map)
  "Keys in `warmth-list-mode'.")

(define-derived-mode warmth-list-mode tabulated-list-mode "warmth"
  "Contacts, coldest first.
\\{warmth-list-mode-map}"
  (setq tabulated-list-format [("Warmth" 7 warmth--sort-warmth :right-align t)
                               ("Circle" 13 t)
                               ("Contact" 32 t)
                               ("Last" 11 t)
                               ("Channel" 0 t)])
  (setq tabulated-list-padding 1)
  (add-hook 'tabulated-list-revert-hook #'warmth--refresh-list nil t)
  (tabulated-list-init-header))

(defun warmth--sort-warmth (a b)
  "Whether entry A is colder than entry B."
  (< (string-to-number (aref (cadr a) 0)) (string-to-number (aref (cadr b) 0))))

(defvar-local warmth--list-all nil
  "Whether this `warmth-list' buffer shows unsorted contacts too.")

(defun warmth--refresh-list (&optional callback)
  "Fill the current `warmth-list' buffer from warmctl; then call CALLBACK."
  (let ((buffer (current-buffer)))
    (warmth--run (append '("list")
                         (when warmth--list-all '("--all"))
                         (when (> warmth-list-limit 0)
                           (list "--limit" (number-to-string warmth-list-limit))))
                 (lambda (reply)
                   (when (buffer-live-p buffer)
                     (with-current-buffer buffer
                       (setq tabulated-list-entries
                             (mapcar
                              (lambda (entry)
                                (let ((contact (alist-get 'contact entry)))
                                  (list (alist-get 'id contact)
                                        (vector (format "%.1f" (or (alist-get 'warmth entry) 0))
                                                (warmth--enum (alist-get 'circle contact))
                                                (warmth--name contact)
                                                (warmth--day (alist-get 'lastInteractionAt entry))
                                                (warmth--enum (alist-get 'lastChannel entry))))))
                              (alist-get 'contacts reply)))
                       (tabulated-list-print t)
                       (when callback (funcall callback))))))))

(defun warmth-list (&optional all)
  "Show the coldest contacts in the buffer *warmth*.
With prefix argument ALL, unsorted contacts (no circle) too.  RET
shows the contact at point, l logs and d records a call with it.
Returns the warmctl process."
  (interactive "P")
  (let ((buffer (get-buffer-create "*warmth*")))
    (with-current-buffer buffer
      (warmth-list-mode)
      (setq warmth--list-all all)
      (warmth--refresh-list (lambda () (display-buffer buffer))))))

(defun warmth-list-log (channel)
  "Log an interaction over CHANNEL with the contact at point."
  (interactive
   (list (completing-read (format "Channel (default %s): " warmth-default-channel)
                          (warmth-channels) nil t nil nil warmth-default-channel)))
  (warmth-log channel (or (tabulated-list-get-id) (user-error "No contact on this line"))))

(defun warmth-list-done ()
  "Record a call with the contact at point and clear its nudges."
  (interactive)
  (warmth-done (or (tabulated-list-get-id) (user-error "No contact on this line"))))

;;;; One contact

(define-derived-mode warmth-contact-mode special-mode "warmth-contact"
  "One contact with its recent interactions.")

(defun warmth--insert-contact (reply)
  "Insert the contact in REPLY (warmctl contact show --json)."
  (let ((contact (alist-get 'contact reply)))
    (insert (propertize (warmth--name contact) 'face 'bold) "\n\n")
    (dolist (row `(("circle" . ,(warmth--enum (alist-get 'circle contact)))
                   ("warmth" . ,(format "%.1f" (or (alist-get 'warmth reply) 0)))
                   ("last" . ,(string-join
                               (delete "" (list (warmth--enum (alist-get 'lastChannel reply))
                                                (or (alist-get 'lastInteractionAt reply) "")))
                               ", "))
                   ("cools at" . ,(or (alist-get 'coolsAt reply) ""))
                   ("interactions" . ,(or (alist-get 'interactionCount reply) "0"))))
      (unless (string-empty-p (cdr row))
        (insert (format "  %-13s %s\n" (concat (car row) ":") (cdr row)))))
    (dolist (identifier (alist-get 'identifiers contact))
      (insert (format "  %-13s %s\n" "identifier:" identifier)))
    (when-let ((recent (alist-get 'recent reply)))
      (insert "\n  recent:\n")
      (dolist (event recent)
        (insert (format "    %-24s %-13s %-9s %s\n"
                        (or (alist-get 'occurredAt event) "")
                        (warmth--enum (alist-get 'channel event))
                        (warmth--enum (alist-get 'direction event))
                        (or (alist-get 'source event) "")))))))

(defun warmth-show-contact (contact)
  "Show CONTACT (an id or identifier) in its own buffer.
Interactively, the contact at point in `warmth-list' or
`warmth-nudges', or one read.  Returns the warmctl process."
  (interactive
   (list (or (and (derived-mode-p 'warmth-list-mode) (tabulated-list-get-id))
             (and (derived-mode-p 'warmth-nudges-mode) (warmth--nudge-contact))
             (warmth--read-contact "Show contact" current-prefix-arg))))
  (warmth--run (list "contact" "show" contact)
               (lambda (reply)
                 (let ((buffer (get-buffer-create
                                (format "*warmth: %s*"
                                        (alist-get 'id (alist-get 'contact reply))))))
                   (with-current-buffer buffer
                     (let ((inhibit-read-only t))
                       (warmth-contact-mode)
                       (erase-buffer)
                       (warmth--insert-contact reply)
                       (goto-char (point-min))))
                   (display-buffer buffer)))))

;;;; Nudges

(defun warmth--nudge-contact ()
  "The first contact of the nudge on this line in `warmth-nudges', or nil."
  (when-let ((entry (tabulated-list-get-entry)))
    (get-text-property 0 'warmth-contact (aref entry 2))))

(defvar warmth-nudges-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "RET") #'warmth-show-contact)
    (define-key map "d" #'warmth-done)
    (define-key map "k" #'warmth-nudges-dismiss)
    map)
  "Keys in `warmth-nudges-mode'.")

(define-derived-mode warmth-nudges-mode tabulated-list-mode "warmth-nudges"
  "Pending nudges.
\\{warmth-nudges-mode-map}"
  (setq tabulated-list-format [("Due" 11 t)
                               ("Kind" 11 t)
                               ("Contact" 24 t)
                               ("Nudge" 0 nil)])
  (setq tabulated-list-padding 1)
  (add-hook 'tabulated-list-revert-hook #'warmth--refresh-nudges nil t)
  (tabulated-list-init-header))

(defun warmth--refresh-nudges (&optional callback)
  "Fill the current `warmth-nudges' buffer from warmctl; then call CALLBACK."
  (let ((buffer (current-buffer)))
    (warmth--run '("nudges")
                 (lambda (reply)
                   (when (buffer-live-p buffer)
                     (with-current-buffer buffer
                       (setq tabulated-list-entries
                             (mapcar
                              (lambda (nudge)
                                (let ((contact (car (alist-get 'contactIds nudge)))
                                      (names (alist-get 'contactNames nudge)))
                                  (list (alist-get 'id nudge)
                                        (vector (warmth--day (alist-get 'dueAt nudge))
                                                (warmth--enum (alist-get 'kind nudge))
                                                (propertize
                                                 (string-join (or names (alist-get 'contactIds nudge))
                                                              ", ")
                                                 'warmth-contact contact)
                                                (or (alist-get 'text nudge) "")))))
                              (alist-get 'nudges reply)))
                       (tabulated-list-print t)
                       (when callback (funcall callback))))))))

(defun warmth-nudges ()
  "Show the pending nudges in the buffer *warmth nudges*.
RET shows the nudge's contact, d marks it done, k dismisses it.
Returns the warmctl process."
  (interactive)
  (let ((buffer (get-buffer-create "*warmth nudges*")))
    (with-current-buffer buffer
      (warmth-nudges-mode)
      (warmth--refresh-nudges (lambda () (display-buffer buffer))))))

(defun warmth-nudges-dismiss ()
  "Dismiss the nudge at point."
  (interactive)
  (let ((id (or (tabulated-list-get-id) (user-error "No nudge on this line")))
        (buffer (current-buffer)))
    (warmth--run (list "dismiss" id)
                 (lambda (_reply)
                   (message "Dismissed %s" id)
                   (when (buffer-live-p buffer)
                     (with-current-buffer buffer (warmth--refresh-nudges)))))))

(provide 'warmth)
;;; warmth.el ends here
