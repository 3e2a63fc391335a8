;;; asynclint-lsp.el --- asynclint's language server for eglot and lsp-mode  -*- lexical-binding: t; -*-

;; Load it (or copy the part for your client into your init file):
;;   (load "/path/to/asynclint/editors/emacs/asynclint-lsp.el")
;; The `asynclint' binary must be on `exec-path' (./build.sh install puts it in /usr/local/bin).

;;; Code:

(defconst asynclint-lsp-command '("asynclint" "lsp")
  "How to start asynclint's language server (standard input and output).")

(defconst asynclint-lsp-modes
  '(js-mode js-ts-mode js-jsx-mode typescript-mode typescript-ts-mode tsx-ts-mode)
  "Major modes whose buffers asynclint lints.")

;; eglot runs one server per major mode: this makes asynclint that server (M-x eglot in a buffer of
;; these modes). To keep a TypeScript server too, use lsp-mode below, where asynclint is an add-on.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               (cons asynclint-lsp-modes asynclint-lsp-command)))

;; lsp-mode: an add-on client, so it runs next to ts-ls or any other JavaScript/TypeScript server.
(with-eval-after-load 'lsp-mode
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () asynclint-lsp-command))
    :activation-fn (lsp-activate-on "javascript" "javascriptreact" "typescript" "typescriptreact")
    :server-id 'asynclint
    :add-on? t
    :priority -1
    ;; The "asynclint" settings section: rules (severity overrides), configFile, debounceMs, enable.
    :initialization-options (lambda () (list :rules (make-hash-table))))))

(provide 'asynclint-lsp)
;;; asynclint-lsp.el ends here
