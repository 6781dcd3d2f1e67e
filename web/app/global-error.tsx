"use client";
// Shown only when the root layout itself failed: no translations are loaded then, so it speaks
// both languages, in the page's own plain style.
import "./globals.css";

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main id="main" className="narrow empty-state">
          <title>Something went wrong · Une erreur est survenue</title>
          <h1>Something went wrong</h1>
          <p>The page could not be shown. Try again in a moment.</p>
          <p lang="fr">Une erreur est survenue. La page n&apos;a pas pu être affichée. Réessayez dans un instant.</p>
          <p>
            <button type="button" className="button primary" onClick={() => reset()}>
              Try again · <span lang="fr">Réessayer</span>
            </button>
          </p>
        </main>
      </body>
    </html>
  );
}
