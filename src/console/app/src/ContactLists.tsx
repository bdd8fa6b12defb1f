// List management (SES v2): the account's contact list in this region (SES allows one), its topics
// with their default subscription status, and its contacts (contacts.tsx). Topic changes use
// UpdateContactList, which replaces the list's description and topics as a whole.
import { useState, type FormEvent } from 'react';
import {
  CreateContactListCommand,
  DeleteContactListCommand,
  GetContactListCommand,
  ListContactListsCommand,
  UpdateContactListCommand,
  type ContactList,
  type SubscriptionStatus,
  type Topic,
} from '@aws-sdk/client-sesv2';
import type { Clients } from './api.js';
import { Contacts } from './contacts.js';
import { ListTable, RowButton } from './list-table.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';
import './account.css';

export function ContactLists({ clients, region }: { clients: Clients; region: string }) {
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<string>();
  const lists = useLoad(() => clients.sesv2.send(new ListContactListsCommand({})), [clients, version]);
  const refresh = (s: string) => {
    setStatus(s);
    setVersion((v) => v + 1);
  };
  const first: ContactList | undefined = lists.data?.ContactLists?.[0];
  return (
    <section aria-labelledby="lists-h" className="account">
      <h2 id="lists-h">Contact lists ({region})</h2>
      {status ? <p role="status">{status}</p> : null}
      <ErrorBox error={lists.error} />
      {lists.loading && !lists.data ? <p>Loading…</p> : null}
      {lists.data && !first ? <NewList clients={clients} onCreated={refresh} /> : null}
      {first?.ContactListName ? (
        <ListDetail
          key={`${first.ContactListName}/${version}`}
          clients={clients}
          name={first.ContactListName}
          onChanged={refresh}
        />
      ) : null}
    </section>
  );
}

function NewList({ clients, onCreated }: { clients: Clients; onCreated: (s: string) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string>();
  async function create(e: FormEvent) {
    e.preventDefault();
    const ContactListName = name.trim();
    if (
      await attempt(
        () =>
          clients.sesv2.send(
            new CreateContactListCommand({
              ContactListName,
              ...(description ? { Description: description } : {}),
            }),
          ),
        setError,
      )
    )
      onCreated(`Created contact list ${ContactListName}.`);
  }
  return (
    <form className="panel inline" onSubmit={create} aria-labelledby="new-list-h" noValidate>
      <h3 id="new-list-h" className="full">
        Create the contact list
      </h3>
      <Empty>This region has no contact list yet (SES allows one per account and region).</Empty>
      <label>
        List name
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <button type="submit">Create list</button>
      <ErrorBox error={error} />
    </form>
  );
}

function ListDetail({
  clients,
  name,
  onChanged,
}: {
  clients: Clients;
  name: string;
  onChanged: (s: string) => void;
}) {
  const list = useLoad(
    () => clients.sesv2.send(new GetContactListCommand({ ContactListName: name })),
    [clients, name],
  );
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const topics = list.data?.Topics ?? [];

  /** UpdateContactList replaces description and topics together: the description is kept. */
  async function saveTopics(next: Topic[], message: string) {
    const Description = list.data?.Description;
    if (
      await attempt(
        () =>
          clients.sesv2.send(
            new UpdateContactListCommand({
              ContactListName: name,
              Topics: next,
              ...(Description ? { Description } : {}),
            }),
          ),
        setError,
      )
    )
      onChanged(message);
  }

  async function remove() {
    if (
      await attempt(
        () => clients.sesv2.send(new DeleteContactListCommand({ ContactListName: name })),
        setError,
      )
    )
      onChanged(`Deleted contact list ${name} and its contacts.`);
  }

  return (
    <>
      <section className="panel" aria-labelledby="list-h" data-testid="contact-list">
        <h3 id="list-h">{name}</h3>
        {list.data?.Description ? <p>{list.data.Description}</p> : null}
        <h4>Topics</h4>
        <ListTable
          rows={list.data && topics}
          error={list.error}
          empty="This list has no topics."
          testId="topics"
          rowKey={(t) => t.TopicName ?? ''}
          columns={[
            { header: 'Topic', cell: (t) => t.TopicName, className: 'mono', sort: (t) => t.TopicName },
            { header: 'Display name', cell: (t) => t.DisplayName, sort: (t) => t.DisplayName },
            { header: 'Description', cell: (t) => t.Description ?? '—' },
            { header: 'Default', cell: (t) => t.DefaultSubscriptionStatus },
          ]}
          actions={(t) => (
            <RowButton
              verb="Remove"
              object={`topic ${t.TopicName}`}
              onClick={() =>
                void saveTopics(
                  topics.filter((x) => x.TopicName !== t.TopicName),
                  `Removed topic ${t.TopicName}.`,
                )
              }
            />
          )}
        />
        <NewTopic onAdd={(t) => saveTopics([...topics, t], `Added topic ${t.TopicName}.`)} />
        <ErrorBox error={error} />
        {confirming ? (
          <p>
            <button type="button" className="danger" onClick={() => void remove()}>
              Confirm deleting {name} and every contact
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </p>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete list
          </button>
        )}
      </section>
      {list.data ? <Contacts clients={clients} list={name} topics={topics} /> : null}
    </>
  );
}

function NewTopic({ onAdd }: { onAdd: (t: Topic) => Promise<void> }) {
  const [topic, setTopic] = useState({ name: '', display: '', description: '' });
  const [status, setStatus] = useState<SubscriptionStatus>('OPT_IN');
  async function add(e: FormEvent) {
    e.preventDefault();
    await onAdd({
      TopicName: topic.name.trim(),
      DisplayName: topic.display,
      DefaultSubscriptionStatus: status,
      ...(topic.description ? { Description: topic.description } : {}),
    });
    setTopic({ name: '', display: '', description: '' });
  }
  return (
    <form className="inline" onSubmit={add} aria-label="Add a topic" noValidate>
      <label>
        Topic name
        <input value={topic.name} onChange={(e) => setTopic({ ...topic, name: e.target.value })} />
      </label>
      <label>
        Display name
        <input value={topic.display} onChange={(e) => setTopic({ ...topic, display: e.target.value })} />
      </label>
      <label>
        Topic description
        <input
          value={topic.description}
          onChange={(e) => setTopic({ ...topic, description: e.target.value })}
        />
      </label>
      <label>
        Default status
        <select value={status} onChange={(e) => setStatus(e.target.value as SubscriptionStatus)}>
          <option>OPT_IN</option>
          <option>OPT_OUT</option>
        </select>
      </label>
      <button type="submit">Add topic</button>
    </form>
  );
}
