import 'reflect-metadata';

// Tests never read a developer's .env: every test states the configuration it runs with.
process.env.NODE_ENV = 'test';
