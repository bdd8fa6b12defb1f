// A message's HTML part and attachments, as the browser loads them: the HTML is its own document
// (GET …/html, a presigned URL in a sandboxed frame, under the server's strict policy; remote images
// only after "Load remote images"), attachments are fetched signed and saved as downloads.
import { useEffect, useState } from 'react';
import { errorText, failureText, type Clients } from './api.js';
import { messagePath, type FullMessage } from './mailbox-types.js';
import { ErrorBox } from './ui.js';

export function HtmlPreview({
  clients,
  id,
  remoteImages,
}: {
  clients: Clients;
  id: string;
  remoteImages: number;
}) {
  const [remote, setRemote] = useState(false);
  const [src, setSrc] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let gone = false;
    clients
      .presign(`${messagePath(id)}/html`, { images: remote ? 'remote' : 'blocked' })
      .then((url) => !gone && setSrc(url))
      .catch((e: unknown) => !gone && setError(errorText(e)));
    return () => {
      gone = true;
    };
  }, [clients, id, remote]);
  return (
    <>
      {remoteImages > 0 ? (
        <p className="mailbox-remote" data-testid="remote-images">
          {remote ? (
            `Remote images of this message are shown (${remoteImages}).`
          ) : (
            <>
              {remoteImages} remote image{remoteImages === 1 ? ' is' : 's are'} blocked.{' '}
              <button type="button" onClick={() => setRemote(true)}>
                Load remote images
              </button>
            </>
          )}
        </p>
      ) : null}
      <ErrorBox error={error} />
      {src ? <iframe title="HTML part (sandboxed)" sandbox="" src={src} className="html" /> : null}
    </>
  );
}

export function Attachments({
  clients,
  id,
  attachments,
}: {
  clients: Clients;
  id: string;
  attachments: FullMessage['Attachments'];
}) {
  const [error, setError] = useState<string>();
  async function download(i: number, name: string) {
    setError(undefined);
    try {
      const res = await clients.sesame(`${messagePath(id)}/attachments/${i}`);
      if (!res.ok) throw new Error(await failureText(res));
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <>
      <ul data-testid="attachments" className="mailbox-attachments">
        {attachments.map((a, i) => {
          const name = a.Filename ?? `attachment-${i + 1}`;
          return (
            <li key={i}>
              <button type="button" onClick={() => void download(i, name)}>
                Download {name}
              </button>{' '}
              {a.ContentType}, {a.Size} bytes{a.Inline ? ' (inline)' : ''}
            </li>
          );
        })}
      </ul>
      <ErrorBox error={error} />
    </>
  );
}
