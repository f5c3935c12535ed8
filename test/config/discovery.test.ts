import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConfigFile } from '../../src/config/load.ts';

/** outer/bosun.yaml above repo/ (a git checkout) holding repo/a/b/. */
async function tree(): Promise<{ root: string; repo: string; deep: string }> {
  const root = await mkdtemp(join(tmpdir(), 'bosun-discovery-'));
  const repo = join(root, 'outer', 'repo');
  const deep = join(repo, 'a', 'b');
  await mkdir(deep, { recursive: true });
  await mkdir(join(repo, '.git'));
  await writeFile(join(root, 'outer', 'bosun.yaml'), 'failOn: low\n');
  return { root, repo, deep };
}

test('walks up to the nearest bosun.yaml', async () => {
  const { root, repo, deep } = await tree();
  try {
    await writeFile(join(repo, 'a', 'bosun.yaml'), '');
    await writeFile(join(repo, 'bosun.yaml'), '');
    assert.equal(await findConfigFile(deep), join(repo, 'a', 'bosun.yaml'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('bosun.yml is found, and bosun.yaml wins in the same directory', async () => {
  const { root, repo, deep } = await tree();
  try {
    await writeFile(join(repo, 'bosun.yml'), '');
    assert.equal(await findConfigFile(deep), join(repo, 'bosun.yml'));
    await writeFile(join(repo, 'bosun.yaml'), '');
    assert.equal(await findConfigFile(deep), join(repo, 'bosun.yaml'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the repository root is checked, then the walk stops', async () => {
  const { root, repo, deep } = await tree();
  try {
    assert.equal(await findConfigFile(deep), undefined, 'outer/bosun.yaml is outside the repository');
    assert.equal(await findConfigFile(repo), undefined);
    await writeFile(join(repo, 'bosun.yaml'), '');
    assert.equal(await findConfigFile(deep), join(repo, 'bosun.yaml'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a .git file (worktree, submodule) also marks the repository root', async () => {
  const { root, repo, deep } = await tree();
  try {
    const sub = join(repo, 'a');
    await writeFile(join(sub, '.git'), 'gitdir: ../.git/modules/a\n');
    await writeFile(join(repo, 'bosun.yaml'), '');
    assert.equal(await findConfigFile(deep), undefined);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('outside any repository the walk reaches a config higher up; a directory named bosun.yaml is not one', async () => {
  const root = await mkdtemp(join(tmpdir(), 'bosun-discovery-'));
  try {
    const deep = join(root, 'x', 'y');
    await mkdir(join(deep, 'bosun.yaml'), { recursive: true });
    await writeFile(join(root, 'bosun.yaml'), '');
    assert.equal(await findConfigFile(deep), join(root, 'bosun.yaml'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
