export * from './image-policy';
