/** The app shell. Until the patient screens land, it says what Consult is and where it syncs. */
export function App() {
  const url = import.meta.env.VITE_SUPABASE_URL ?? 'http://127.0.0.1:54321';
  return (
    <main>
      <h1>Consult</h1>
      <p>Book a consultation, even offline. Syncing with {url}.</p>
    </main>
  );
}
