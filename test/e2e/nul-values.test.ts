// PostgreSQL's text and jsonb hold no NUL character. A request carrying one (a contact's
// AttributesData) answered 500 InternalServiceErrorException there; it is bad
// input: 400 in the API's own words, nothing stored. SQLite keeps the value as sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateContactCommand, CreateContactListCommand, GetContactCommand } from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, type Clients } from '../support/ses-fixtures.js';

const NUL_MESSAGE = 'A value holds a NUL character (U+0000), which is not allowed.';

describe.each(testDialects())('values holding a NUL character (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    root = clientsFor(server, server.credentials);
    await root.v2.send(new CreateContactListCommand({ ContactListName: 'l' }));
  });
  afterAll(async () => server?.stop());

  it('v2 CreateContact: 400 BadRequestException on PostgreSQL, kept as sent on SQLite', async () => {
    const create = root.v2.send(
      new CreateContactCommand({
        ContactListName: 'l',
        EmailAddress: 'a@example.com',
        AttributesData: '{"x":"a\u0000b"}',
      }),
    );
    if (dialect === 'postgres') {
      expect(await errorOf(create)).toEqual({
        name: 'BadRequestException',
        status: 400,
        message: NUL_MESSAGE,
      });
      expect(
        await errorOf(
          root.v2.send(new GetContactCommand({ ContactListName: 'l', EmailAddress: 'a@example.com' })),
        ),
      ).toMatchObject({
        name: 'NotFoundException',
        status: 404,
      });
    } else {
      await create;
      const got = await root.v2.send(
        new GetContactCommand({ ContactListName: 'l', EmailAddress: 'a@example.com' }),
      );
      expect(got.AttributesData).toBe('{"x":"a\u0000b"}');
    }
  });
});
